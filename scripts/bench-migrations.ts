// How long the migrations that rewrite `messages` take, per million messages, on Postgres: a
// database at the release before 0004, filled with generated messages, then migrated one step
// at a time. For docs/operations.md's upgrade table. Not part of `npm run bench` (seeding a
// million rows takes minutes); run alone:
// `node --conditions=react-server --import tsx scripts/bench-migrations.ts`.

import { sql } from "drizzle-orm";
import { type Database, openDatabase } from "@/db";
import { createScratchDatabase } from "@/test/support/postgres";
import { releaseWithMigrations } from "@/test/support/releases";
import { runAloneOnPostgres } from "./bench/run-alone";

const MESSAGES = Number(process.env.BENCH_MIGRATION_MESSAGES ?? 1_000_000);
// Words per message; about nine characters each.
const WORDS = Number(process.env.BENCH_MIGRATION_WORDS ?? 40);
const USERS = 100;
const PER_CONVERSATION = 100;

async function seed(db: Database) {
  const conversations = Math.ceil(MESSAGES / PER_CONVERSATION);
  await db.execute(sql`
    insert into users (email)
    select 'bench-migrations-' || u || '@example.test' from generate_series(1, ${USERS}::int) u`);
  await db.execute(sql`
    insert into conversations (user_id, title, last_sequence)
    select (select id from users order by email offset (c % ${USERS}::int) limit 1),
           'Conversation ' || c, ${PER_CONVERSATION}::int
    from generate_series(1, ${conversations}::int) c`);
  // Written as the release before 0004 did: no user_id, no search columns.
  await db.execute(sql`
    insert into messages (id, conversation_id, role, content, sequence)
    select gen_random_uuid(), c.id,
           case when s % 2 = 1 then 'user'::message_role else 'assistant'::message_role end,
           (select string_agg('term' || abs(hashint8(s * 1000 + k + length(c.title))) % 30000, ' ')
              from generate_series(1, ${WORDS}::int) k),
           s
    from conversations c cross join generate_series(1, ${PER_CONVERSATION}::int) s`);
  await db.execute(sql`vacuum analyze`);
}

async function sizeOf(db: Database, table: string): Promise<string> {
  const result: unknown = await db.execute(
    sql`select pg_size_pretty(pg_total_relation_size(${table}::regclass)) as size`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  return (rows[0] as { size: string }).size;
}

export async function benchMigrations(postgresUrl: string): Promise<void> {
  const handle = await openDatabase({
    driver: "pg",
    url: await createScratchDatabase(postgresUrl, "bench_migrations"),
    queryTimeoutMs: 0,
  });
  try {
    await handle.migrate(releaseWithMigrations(4));
    console.error(`[bench] migrations: seeding ${MESSAGES} messages of ${WORDS} words…`);
    const seedStart = performance.now();
    await seed(handle.db);
    console.error(
      `[bench] migrations: seeded in ${((performance.now() - seedStart) / 1000).toFixed(0)} s, messages ${await sizeOf(handle.db, "messages")}`,
    );
    const rows = [];
    for (const [count, name] of [
      [5, "0004_search"],
      [6, "0005_import_leases"],
      [7, "0006_search_per_user"],
    ] as const) {
      const start = performance.now();
      await handle.migrate(releaseWithMigrations(count));
      const seconds = (performance.now() - start) / 1000;
      rows.push({
        migration: name,
        seconds: seconds.toFixed(1),
        "s per million messages": ((seconds * 1_000_000) / MESSAGES).toFixed(1),
        "messages after": await sizeOf(handle.db, "messages"),
      });
      await handle.db.execute(sql`vacuum analyze`);
    }
    console.log(
      `\nMigrations on Postgres: ${MESSAGES} messages of ${WORDS} words, ${Math.ceil(MESSAGES / PER_CONVERSATION)} conversations`,
    );
    console.table(rows);
  } finally {
    await handle.close();
  }
}

await runAloneOnPostgres(import.meta.url, benchMigrations);
