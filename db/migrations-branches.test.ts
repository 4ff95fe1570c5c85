import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { allDrivers, openTestDatabase, queryRows } from "@/test/support/databases";
import { releaseWithMigrations } from "@/test/support/releases";
import {
  addMessage,
  type Database,
  getBranchPage,
  getMessages,
  getMessagesAfter,
  startTurn,
} from "./index";
import { getSharedMessages } from "./shares";

// Upgrading from the release before branches (migrations 0000-0006) with what a live database
// holds: a conversation whose last reply is still streaming, a share of it, and an imported
// conversation. Each becomes one branch whose depths are its sequences, and the share keeps its
// branch (0008); the previous release, still running during a rolling upgrade, keeps appending to
// the current branch.
describe.each(allDrivers)("upgrading a database from before branches (0006) [%s]", (driver) => {
  it("makes each conversation one branch, depth = sequence, and keeps old writers appending", async () => {
    const handle = await openTestDatabase(driver, { migrate: false });
    try {
      await handle.migrate(releaseWithMigrations(7));
      const { db } = handle;
      const userId = await oldRow(
        db,
        sql`insert into users (email)
        values (${`old-${randomUUID()}@example.test`}) returning id`,
      );
      const live = await oldConversation(db, userId, ["question", "answer", "again"]);
      const streaming = randomUUID();
      await db.execute(sql`insert into messages (id, conversation_id, role, content, sequence,
          status, reply_to, lease_owner, lease_expires_at)
        values (${streaming}, ${live.conversationId}, 'assistant', 'half an ans', 4, 'streaming',
          ${live.ids[2]}, 'old-server', now() + interval '1 minute')`);
      await bump(db, live.conversationId, 4);
      const tokenHash = createHash("sha256").update("old link").digest("hex");
      await db.execute(sql`insert into shares (token_hash, sealed_token, conversation_id, user_id,
          up_to_sequence) values (${tokenHash}, 'sealed', ${live.conversationId}, ${userId}, 3)`);
      const imported = await oldConversation(db, userId, ["one", "two", "three", "four", "five"]);

      await handle.migrate();

      const page = await getMessages(db, { conversationId: live.conversationId, userId });
      expect(page.items.map((m) => m.id)).toEqual([...live.ids, streaming]);
      page.items.forEach((m, i) => {
        expect(m).toMatchObject({ depth: m.sequence, versionIndex: 0, versionCount: 1 });
        expect(m.parentId).toBe(i === 0 ? null : page.items[i - 1]?.id);
      });
      expect(page.items.at(-1)?.status).toBe("streaming");
      const older = await getMessages(db, {
        conversationId: imported.conversationId,
        userId,
        before: 4,
        limit: 2,
      });
      expect(older.items.map((m) => m.id)).toEqual(imported.ids.slice(1, 3));
      const shared = await getSharedMessages(db, { tokenHash });
      expect(shared.items.map((m) => m.id)).toEqual(live.ids);
      // 0008: the share keeps the branch it showed, which ends at its last message.
      const [share] = await queryRows<{ leaf_id: string }>(
        db,
        sql`select leaf_id from shares where token_hash = ${tokenHash}`,
      );
      expect(share?.leaf_id).toBe(live.ids[2]);

      // The previous release inserts without the tree's columns: after the current leaf.
      const fromOld = randomUUID();
      await bump(db, imported.conversationId, 6);
      await db.execute(sql`insert into messages (id, conversation_id, role, content, sequence)
        values (${fromOld}, ${imported.conversationId}, 'user', 'from the old release', 6)`);
      // This release branches off the second message; the old release then follows that branch.
      const edit = await addMessage(db, {
        conversationId: imported.conversationId,
        userId,
        id: randomUUID(),
        role: "user",
        content: "two, edited",
        parentId: imported.ids[0],
      });
      const afterEdit = randomUUID();
      await bump(db, imported.conversationId, 8);
      await db.execute(sql`insert into messages (id, conversation_id, role, content, sequence)
        values (${afterEdit}, ${imported.conversationId}, 'user', 'old release again', 8)`);
      const current = await getMessages(db, { conversationId: imported.conversationId, userId });
      expect(current.items.map((m) => m.id)).toEqual([imported.ids[0], edit.id, afterEdit]);
      expect(current.items[1]).toMatchObject({ versionIndex: 1, versionCount: 2, depth: 2 });
      const first = await getBranchPage(db, {
        conversationId: imported.conversationId,
        userId,
        leafId: fromOld,
      });
      expect(first.items.map((m) => m.id)).toEqual([...imported.ids, fromOld]);

      // The old server finishes its reply; then a turn of this release follows it.
      await db.execute(sql`update messages set status = 'complete', content = 'half an answer'
        where id = ${streaming}`);
      const turn = await startTurn(db, {
        userId,
        conversationId: live.conversationId,
        message: { id: randomUUID(), content: "after the upgrade" },
        replyId: randomUUID(),
        lease: { owner: "upgraded-server", ms: 60_000 },
      });
      expect(turn.reply).toMatchObject({ sequence: 6, status: "streaming" });
      const after = await getMessagesAfter(db, {
        conversationId: live.conversationId,
        userId,
        after: 4,
      });
      expect(after.items.map((m) => [m.id, m.depth])).toEqual([
        [turn.userMessage.id, 5],
        [turn.reply?.id, 6],
      ]);
    } finally {
      await handle.close();
    }
  });
});

async function bump(db: Database, conversationId: string, lastSequence: number) {
  await db.execute(
    sql`update conversations set last_sequence = ${lastSequence} where id = ${conversationId}`,
  );
}

async function oldRow(db: Database, query: ReturnType<typeof sql>): Promise<string> {
  const [row] = await queryRows<{ id: string }>(db, query);
  return row?.id ?? "";
}

/** A conversation and its messages as the previous release wrote them, with raw SQL. */
async function oldConversation(db: Database, userId: string, contents: string[]) {
  const conversationId = await oldRow(
    db,
    sql`insert into conversations (user_id, title, last_sequence)
    values (${userId}, 'old', ${contents.length}) returning id`,
  );
  const ids = contents.map(() => randomUUID());
  for (const [i, content] of contents.entries()) {
    await db.execute(sql`insert into messages (id, conversation_id, user_id, role, content, sequence)
      values (${ids[i]}, ${conversationId}, ${userId}, ${i % 2 ? "assistant" : "user"}, ${content}, ${i + 1})`);
  }
  return { conversationId, ids };
}
