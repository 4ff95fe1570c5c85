import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  allDrivers,
  describeOnEachDriver,
  openTestDatabase,
  queryRows,
} from "@/test/support/databases";
import { makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import { releaseWithMigrations } from "@/test/support/releases";
import { migrationsFolder } from "./client";
import { type Database, getMessages, searchMessages, startTurn } from "./index";
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
        "conversations_id_user_id_key",
        "conversations_user_recent_idx",
        "conversations_user_search_idx",
        "messages_conversation_sequence_key",
        "messages_one_streaming_reply_idx",
        "messages_reply_to_idx",
        "messages_user_recent_idx",
        "messages_user_search_idx",
        "shares_token_hash_idx",
        "shares_user_recent_idx",
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

describe.each(allDrivers)("upgrading a database of the first release [%s]", (driver) => {
  it("keeps its data and repairs abandoned replies", async () => {
    const handle = await openTestDatabase(driver, { migrate: false });
    try {
      await handle.migrate(releaseWithMigrations(1));
      const { db } = handle;
      const { userId, conversationId } = await oldConversation(db, "Old chat", 3);
      await db.execute(
        sql`insert into messages (id, conversation_id, role, content, sequence, status) values
            (${randomUUID()}, ${conversationId}, 'user', 'question', 1, 'complete'),
            (${randomUUID()}, ${conversationId}, 'assistant', 'abandoned', 2, 'streaming'),
            (${randomUUID()}, ${conversationId}, 'assistant', 'latest', 3, 'streaming')`,
      );

      await handle.migrate();

      const page = await getMessages(db, { conversationId, userId });
      // The first release wrote replies without a lease: nobody is generating them, so the
      // newest one is interrupted too, not live forever.
      expect(page.items.map((m) => [m.sequence, m.content, m.status])).toEqual([
        [1, "question", "complete"],
        [2, "abandoned", "interrupted"],
        [3, "latest", "interrupted"],
      ]);
      await expectNewTurnWorks(db, userId, conversationId, 4);
    } finally {
      await handle.close();
    }
  });
});

describe.each(allDrivers)("upgrading a database of the second release [%s]", (driver) => {
  it("settles streaming replies that have no lease, so the conversation takes messages", async () => {
    const handle = await openTestDatabase(driver, { migrate: false });
    try {
      await handle.migrate(releaseWithMigrations(2));
      const { db } = handle;
      const { userId, conversationId } = await oldConversation(db, "Wedged chat", 2);
      const questionId = randomUUID();
      await db.execute(
        sql`insert into messages (id, conversation_id, role, content, sequence, status, reply_to)
            values (${questionId}, ${conversationId}, 'user', 'question', 1, 'complete', null),
                   (${randomUUID()}, ${conversationId}, 'assistant', 'half an', 2, 'streaming', ${questionId})`,
      );

      await handle.migrate();

      const page = await getMessages(db, { conversationId, userId });
      expect(page.items.map((m) => [m.sequence, m.content, m.status])).toEqual([
        [1, "question", "complete"],
        [2, "half an", "interrupted"],
      ]);
      await expectNewTurnWorks(db, userId, conversationId, 3);
    } finally {
      await handle.close();
    }
  });
});

describe.each(allDrivers)("upgrading a database of the third release [%s]", (driver) => {
  it("makes the messages and titles already stored searchable, except a reply still streaming", async () => {
    const handle = await openTestDatabase(driver, { migrate: false });
    try {
      await handle.migrate(releaseWithMigrations(3));
      const { db } = handle;
      const { userId, conversationId } = await oldConversation(db, "Old aardvark notes", 2);
      await db.execute(
        sql`insert into messages (id, conversation_id, role, content, sequence, status, lease_expires_at)
            values (${randomUUID()}, ${conversationId}, 'user', 'an aardvark question', 1, 'complete', null),
                   (${randomUUID()}, ${conversationId}, 'assistant', 'aardvark answer so far', 2,
                    'streaming', now() + interval '1 minute')`,
      );

      await handle.migrate();

      const { items } = await searchMessages(db, { userId, query: "aardvark" });
      expect(items.map((hit) => hit.message?.sequence ?? "title")).toEqual(
        expect.arrayContaining([1, "title"]),
      );
      expect(items).toHaveLength(2);
    } finally {
      await handle.close();
    }
  });
});

describe.each(allDrivers)(
  "upgrading a database from before per-user search (0004) [%s]",
  (driver) => {
    it("gives every message its conversation's owner, and keeps the previous release's writes working", async () => {
      const handle = await openTestDatabase(driver, { migrate: false });
      try {
        await handle.migrate(releaseWithMigrations(5));
        const { db } = handle;
        const alice = await oldConversation(db, "Alice's aardvark", 2);
        const bob = await oldConversation(db, "Bob's aardvark", 1);
        await db.execute(
          sql`insert into messages (id, conversation_id, role, content, sequence) values
            (${randomUUID()}, ${alice.conversationId}, 'user', 'aardvark one', 1),
            (${randomUUID()}, ${alice.conversationId}, 'assistant', 'aardvark two', 2),
            (${randomUUID()}, ${bob.conversationId}, 'user', 'aardvark zzz', 1)`,
        );

        await handle.migrate();

        const owners = await queryRows<{ conversation_id: string; user_id: string }>(
          db,
          sql`select conversation_id, user_id from messages order by content`,
        );
        expect(owners).toEqual([
          { conversation_id: alice.conversationId, user_id: alice.userId }, // aardvark one
          { conversation_id: alice.conversationId, user_id: alice.userId }, // aardvark two
          { conversation_id: bob.conversationId, user_id: bob.userId }, // aardvark zzz
        ]);
        const found = await searchMessages(db, { userId: alice.userId, query: "aardvark" });
        // The three were written in one statement (one created_at), so their order is not tested.
        expect(found.items.map((hit) => hit.message?.sequence ?? "title")).toEqual(
          expect.arrayContaining([1, 2, "title"]),
        );
        expect(found.items).toHaveLength(3);
        // The previous release, still running during a rolling upgrade, inserts without user_id.
        await db.execute(
          sql`update conversations set last_sequence = 3 where id = ${alice.conversationId}`,
        );
        const [written] = await queryRows<{ user_id: string }>(
          db,
          sql`insert into messages (id, conversation_id, role, content, sequence)
            values (${randomUUID()}, ${alice.conversationId}, 'user', 'from the old release', 3)
            returning user_id`,
        );
        expect(written?.user_id).toBe(alice.userId);
        await expectNewTurnWorks(db, alice.userId, alice.conversationId, 4);
        // A message cannot claim another owner than its conversation's.
        await expect(
          db.execute(
            sql`insert into messages (id, conversation_id, user_id, role, content, sequence)
              values (${randomUUID()}, ${alice.conversationId}, ${bob.userId}, 'user', 'forged', 99)`,
          ),
        ).rejects.toThrow();
        // Deleting a conversation still takes its messages along.
        await db.execute(sql`delete from conversations where id = ${bob.conversationId}`);
        const [left] = await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from messages where user_id = ${bob.userId}`,
        );
        expect(left?.n).toBe(0);
      } finally {
        await handle.close();
      }
    });
  },
);

/** A new message and its streaming reply start in the upgraded conversation, numbered on. */
async function expectNewTurnWorks(
  db: Database,
  userId: string,
  conversationId: string,
  nextSequence: number,
) {
  const turn = await startTurn(db, {
    userId,
    conversationId,
    message: { id: randomUUID(), content: "after the upgrade" },
    replyId: randomUUID(),
    lease: { owner: "upgraded-server", ms: 60_000 },
  });
  expect(turn.created).toBe(true);
  expect(turn.userMessage.sequence).toBe(nextSequence);
  expect(turn.reply).toMatchObject({ sequence: nextSequence + 1, status: "streaming" });
}

/** A user and a conversation written as an earlier release did, with raw SQL. */
async function oldConversation(db: Database, title: string, lastSequence: number) {
  const [user] = await queryRows<{ id: string }>(
    db,
    sql`insert into users (email) values (${`old-${randomUUID()}@example.test`}) returning id`,
  );
  const [convo] = await queryRows<{ id: string }>(
    db,
    sql`insert into conversations (user_id, title, last_sequence)
        values (${user?.id}, ${title}, ${lastSequence}) returning id`,
  );
  return { userId: user?.id ?? "", conversationId: convo?.id ?? "" };
}
