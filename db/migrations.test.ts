import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import { makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import { migrationsFolder } from "./client";
import { getMessages } from "./index";
import * as schema from "./schema";

it("has checked-in migrations that match db/schema.ts exactly (no drift)", async () => {
  const metaFolder = path.join(migrationsFolder, "meta");
  const snapshots = readdirSync(metaFolder)
    .filter((file) => file.endsWith("_snapshot.json"))
    .sort();
  const latest = snapshots.at(-1);
  expect(latest, "no migration snapshot found").toBeDefined();
  const previous = JSON.parse(readFileSync(path.join(metaFolder, latest ?? ""), "utf8"));
  const current = generateDrizzleJson(schema, previous.id);
  const pending = await generateMigration(previous, current);
  expect(pending, "schema.ts changed without `npm run db:generate`").toEqual([]);
});

describeOnEachDriver("migrations", (db, handle) => {
  it("created every table and index on an empty database", async () => {
    const names = await queryRows<{ indexname: string }>(
      db(),
      sql`select indexname from pg_indexes where schemaname = 'public' order by indexname`,
    );
    expect(names.map((row) => row.indexname)).toEqual(
      expect.arrayContaining([
        "conversations_user_recent_idx",
        "messages_conversation_sequence_key",
        "messages_streaming_idx",
        "users_email_unique",
      ]),
    );
  });

  it("running them again on a database that holds data changes nothing", async () => {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 5, parallel: 1 });
    // What every restart of the embedded database does.
    await handle().migrate();
    const page = await getMessages(db(), { conversationId: convo.id, userId: alice.id });
    expect(page.items.map((m) => m.content)).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
  });
});
