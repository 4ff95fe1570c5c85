import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import { makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import {
  addMessage,
  type Database,
  getBranchPage,
  getMessages,
  importConversation,
  startTurn,
} from "./index";

type Row = { id: string; parent_id: string | null; sibling_index: number };

/** Every message of a conversation with its parent, for computing paths in JS. */
async function treeOf(db: Database, conversationId: string): Promise<Map<string, Row>> {
  const rows = await queryRows<Row>(
    db,
    sql`select id, parent_id, sibling_index from messages where conversation_id = ${conversationId}`,
  );
  return new Map(rows.map((row) => [row.id, row]));
}

/** The branch ending at `leafId`, root first, by following parent_id. */
function pathTo(tree: Map<string, Row>, leafId: string): string[] {
  const path: string[] = [];
  for (let id: string | null = leafId; id; id = tree.get(id)?.parent_id ?? null) path.unshift(id);
  return path;
}

// A small deterministic generator, so a failing tree can be built again.
function random(seed: number) {
  let state = seed;
  return (below: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % below;
  };
}

describeOnEachDriver("branches", (db) => {
  async function aliceWithConversation() {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    return { alice, base: { conversationId: convo.id, userId: alice.id } };
  }

  const say = (
    base: { conversationId: string; userId: string },
    content: string,
    parentId?: string,
  ) =>
    addMessage(db(), { ...base, id: randomUUID(), role: "user", content, parentId }).then(
      (m) => m.id,
    );

  it("keeps a straight conversation a line: depth is the sequence, one version each", async () => {
    const { alice, base } = await aliceWithConversation();
    const sent = await seedMessages(db(), { ...base, userId: alice.id, total: 12, parallel: 4 });
    const page = await getBranchPage(db(), { ...base, limit: 50 });
    expect(page.items.map((m) => m.id).sort()).toEqual(sent.map((m) => m.id).sort());
    page.items.forEach((m, i) => {
      expect(m.depth).toBe(m.sequence);
      expect(m.parentId).toBe(i === 0 ? null : page.items[i - 1]?.id);
      expect([m.versionIndex, m.versionCount]).toEqual([0, 1]);
    });
    expect(page).toMatchObject({ hasMore: false, hasNewer: false });
  });

  it("gives concurrent versions of one message distinct indexes and loses none", async () => {
    const { base } = await aliceWithConversation();
    const first = await say(base, "first");
    const replaced = await say(base, "second");
    const versions = await Promise.all(
      Array.from({ length: 8 }, (_, i) => say(base, `edit ${i}`, first)),
    );
    const tree = await treeOf(db(), base.conversationId);
    const indexes = [replaced, ...versions].map((id) => tree.get(id)?.sibling_index).sort();
    expect(indexes).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const leafId of versions) {
      const page = await getBranchPage(db(), { ...base, leafId });
      expect(page.items.map((m) => m.id)).toEqual([first, leafId]);
      expect(page.items[1]?.versionCount).toBe(9);
    }
  });

  it("pages any branch of a bushy tree newest first, older, newer and around, exactly its path", async () => {
    const { base } = await aliceWithConversation();
    const next = random(15);
    const ids = [await say(base, "root")];
    for (let i = 0; i < 40; i++) ids.push(await say(base, `line ${i}`));
    // Forks: some wide (many versions of one message), some deep (long branches off a branch).
    for (let fork = 0; fork < 25; fork++) {
      const parent = ids[fork % 5 === 0 ? 7 : next(ids.length)] as string;
      ids.push(await say(base, `fork ${fork}`, parent));
      const length = next(3) === 0 ? 15 : next(4);
      for (let i = 0; i < length; i++) ids.push(await say(base, `fork ${fork} step ${i}`));
    }
    const tree = await treeOf(db(), base.conversationId);
    const children = new Map<string | null, number>();
    for (const row of tree.values()) {
      children.set(row.parent_id, (children.get(row.parent_id) ?? 0) + 1);
    }
    const leaves = [...tree.keys()].filter((id) => !children.has(id));
    expect(leaves.length).toBeGreaterThan(10);
    for (const leafId of leaves) {
      const path = pathTo(tree, leafId);
      const newestFirst: string[] = [];
      let page = await getBranchPage(db(), { ...base, leafId, limit: 7 });
      newestFirst.unshift(...page.items.map((m) => m.id));
      while (page.hasMore) {
        const beforeDepth = page.items[0]?.depth;
        page = await getBranchPage(db(), { ...base, leafId, beforeDepth, limit: 7 });
        newestFirst.unshift(...page.items.map((m) => m.id));
      }
      expect(newestFirst).toEqual(path);
      const oldestFirst: string[] = [];
      let afterDepth = 0;
      for (let more = true; more; ) {
        const newer = await getBranchPage(db(), { ...base, leafId, afterDepth, limit: 6 });
        oldestFirst.push(...newer.items.map((m) => m.id));
        afterDepth = newer.items.at(-1)?.depth ?? afterDepth;
        more = newer.hasNewer;
      }
      expect(oldestFirst).toEqual(path);
      const aroundDepth = Math.ceil(path.length / 2);
      const around = await getBranchPage(db(), { ...base, leafId, aroundDepth, limit: 5 });
      expect(around.items.map((m) => m.id)).toEqual(path.slice(aroundDepth - 3, aroundDepth + 2));
      for (const m of around.items) {
        expect(m.versionCount).toBe(children.get(m.parentId) ?? 0);
        expect(m.versionIndex).toBe(tree.get(m.id)?.sibling_index);
      }
    }
    // The conversation's own pages follow the branch written last.
    const current = await getMessages(db(), { ...base, limit: 200 });
    expect(current.items.map((m) => m.id)).toEqual(pathTo(tree, ids.at(-1) as string));
  });

  it("starts a turn on another branch: a new version of a message, its reply below it", async () => {
    const { base } = await aliceWithConversation();
    const first = await say(base, "first");
    await say(base, "second");
    const lease = { owner: "branch-test", ms: 60_000 };
    const turn = await startTurn(db(), {
      ...base,
      message: { id: randomUUID(), content: "second, edited" },
      replyId: randomUUID(),
      lease,
      parentId: first,
    });
    const page = await getMessages(db(), base);
    expect(page.items.map((m) => m.id)).toEqual([first, turn.userMessage.id, turn.reply?.id]);
    expect(page.items[1]).toMatchObject({ depth: 2, versionIndex: 1, versionCount: 2 });
    expect(page.items[2]).toMatchObject({ depth: 3, versionIndex: 0, versionCount: 1 });
    const bob = await aliceWithConversation();
    const stranger = await say(bob.base, "his");
    for (const conversationId of [base.conversationId, randomUUID()]) {
      await expect(
        startTurn(db(), {
          ...base,
          conversationId,
          message: { id: randomUUID(), content: "on his message" },
          replyId: randomUUID(),
          lease,
          parentId: stranger,
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it("stores an imported conversation as one line, which then appends and branches as any", async () => {
    const alice = await makeUser(db());
    const conversationId = randomUUID();
    const now = new Date();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await importConversation(db(), {
      userId: alice.id,
      conversation: {
        id: conversationId,
        title: "imported",
        createdAt: now,
        updatedAt: now,
        messages: ids.map((id, i) => ({
          id,
          role: i % 2 ? "assistant" : "user",
          content: `imported ${i}`,
          status: "complete",
          finishReason: null,
          model: null,
          inputTokens: null,
          outputTokens: null,
          error: null,
          replyTo: null,
          createdAt: now,
          updatedAt: now,
        })),
      },
    });
    const base = { conversationId, userId: alice.id };
    const appended = await say(base, "after the import");
    const version = await say(base, "another second", ids[0]);
    const line = await getBranchPage(db(), { ...base, leafId: appended });
    expect(line.items.map((m) => m.id)).toEqual([...ids, appended]);
    line.items.forEach((m, i) => {
      expect(m).toMatchObject({ depth: i + 1, sequence: i + 1 });
      expect(m.parentId).toBe(i === 0 ? null : line.items[i - 1]?.id);
    });
    expect(line.items[1]).toMatchObject({ versionIndex: 0, versionCount: 2 });
    const current = await getMessages(db(), base);
    expect(current.items.map((m) => m.id)).toEqual([ids[0], version]);
  });

  it("answers NotFound for another user's conversation or leaf, and a parent from elsewhere", async () => {
    const { base } = await aliceWithConversation();
    const mine = await say(base, "mine");
    const bob = await aliceWithConversation();
    const his = await say(bob.base, "his");
    await expect(getBranchPage(db(), { ...base, userId: bob.base.userId })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getBranchPage(db(), { ...base, leafId: his })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getBranchPage(db(), { ...bob.base, leafId: mine })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(say(base, "reply to his", his)).rejects.toBeInstanceOf(NotFoundError);
    const empty = await aliceWithConversation();
    expect(await getBranchPage(db(), empty.base)).toEqual({
      items: [],
      hasMore: false,
      hasNewer: false,
    });
  });
});
