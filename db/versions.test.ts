import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { NotFoundError } from "@/lib/errors";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import { makeConversation, makeUser } from "@/test/support/factories";
import { addMessage, getMessages, switchVersion, switchVersionWithPage } from "./index";

describeOnEachDriver("switching versions", (db) => {
  async function conversationOfNewUser() {
    const user = await makeUser(db());
    const convo = await makeConversation(db(), user.id);
    return { conversationId: convo.id, userId: user.id };
  }

  type Owned = { conversationId: string; userId: string };
  const say = (base: Owned, content: string, parentId?: string) =>
    addMessage(db(), { ...base, id: randomUUID(), role: "user", content, parentId }).then(
      (m) => m.id,
    );
  const shown = async (base: Owned) =>
    (await getMessages(db(), { ...base, limit: 200 })).items.map((m) => m.id);
  const switchTo = async (base: Owned, messageId: string) =>
    (await switchVersion(db(), { ...base, messageId })).leafId;

  /**
   * r ─ a1 ─ b1 ─ c1
   *   │    └ b2 ─ c2   (a nested fork under a1)
   *   └ a2 ─ d2        (shown when built)
   */
  async function forkedTree() {
    const base = await conversationOfNewUser();
    const r = await say(base, "r");
    const a1 = await say(base, "a1");
    const b1 = await say(base, "b1");
    const c1 = await say(base, "c1");
    const b2 = await say(base, "b2", a1);
    const c2 = await say(base, "c2");
    const a2 = await say(base, "a2", r);
    const d2 = await say(base, "d2");
    return { base, ids: { r, a1, b1, c1, b2, c2, a2, d2 } };
  }

  it("shows a version with the branch shown when a sibling was written beside it", async () => {
    const { base, ids } = await forkedTree();
    expect(await shown(base)).toEqual([ids.r, ids.a2, ids.d2]);
    // a2 was written while c2 was shown; b2 while c1 was.
    expect(await switchTo(base, ids.a1)).toBe(ids.c2);
    expect(await switchTo(base, ids.b1)).toBe(ids.c1);
    expect(await shown(base)).toEqual([ids.r, ids.a1, ids.b1, ids.c1]);
  });

  it("shows a never-viewed version down to its segment's tip, and remembers what it left", async () => {
    const { base, ids } = await forkedTree();
    // As rows written before versions were remembered on insert (migration 0008).
    await queryRows(
      db(),
      sql`update messages set last_leaf_id = null where conversation_id = ${base.conversationId}`,
    );
    expect(await switchTo(base, ids.a1)).toBe(ids.c1);
    expect(await shown(base)).toEqual([ids.r, ids.a1, ids.b1, ids.c1]);
    expect(await switchTo(base, ids.a2)).toBe(ids.d2);
    expect(await shown(base)).toEqual([ids.r, ids.a2, ids.d2]);
    expect(await switchTo(base, ids.a1)).toBe(ids.c1);
  });

  it("answers a switch with the newest page of the branch it shows, as a reader then sees it", async () => {
    const { base, ids } = await forkedTree();
    for (const [target, limit] of [
      [ids.b1, 2],
      [ids.a2, 50],
      [ids.c2, 3],
      [ids.r, 1],
    ] as const) {
      const switched = await switchVersionWithPage(db(), { ...base, messageId: target, limit });
      const page = await getMessages(db(), { ...base, limit });
      expect(switched).toEqual({ leafId: page.items.at(-1)?.id, ...page });
    }
  });

  it("restores the branch last viewed below each fork, nested forks too", async () => {
    const { base, ids } = await forkedTree();
    await switchTo(base, ids.a1);
    expect(await switchTo(base, ids.b2)).toBe(ids.c2);
    expect(await switchTo(base, ids.a2)).toBe(ids.d2);
    // a1 remembers c2, below the nested fork's b2.
    expect(await switchTo(base, ids.a1)).toBe(ids.c2);
    expect(await shown(base)).toEqual([ids.r, ids.a1, ids.b2, ids.c2]);
    expect(await switchTo(base, ids.b1)).toBe(ids.c1);
    expect(await switchTo(base, ids.a2)).toBe(ids.d2);
    expect(await switchTo(base, ids.a1)).toBe(ids.c1);
    // b2 still remembers its own leaf.
    expect(await switchTo(base, ids.b2)).toBe(ids.c2);
  });

  it("follows a remembered leaf that has since grown, and reaches a message deep in another branch", async () => {
    const { base, ids } = await forkedTree();
    await switchTo(base, ids.a1);
    await switchTo(base, ids.a2);
    const e2 = await say(base, "e2");
    await switchTo(base, ids.a1);
    // As if a2's memory were written before e2 was: e2 continues d2's segment, so it is shown.
    await queryRows(db(), sql`update messages set last_leaf_id = ${ids.d2} where id = ${ids.a2}`);
    expect(await switchTo(base, ids.a2)).toBe(e2);
    // A message below a fork that is not on the shown branch: its path, down to its tip.
    expect(await switchTo(base, ids.c2)).toBe(ids.c2);
    expect(await shown(base)).toEqual([ids.r, ids.a1, ids.b2, ids.c2]);
    expect(await switchTo(base, ids.a2)).toBe(e2);
  });

  it("changes nothing when the message is already shown", async () => {
    const { base, ids } = await forkedTree();
    const remembered = () =>
      queryRows<{ id: string; last_leaf_id: string }>(
        db(),
        sql`select id, last_leaf_id from messages where conversation_id = ${base.conversationId}
          and last_leaf_id is not null order by id`,
      );
    const before = await remembered();
    for (const id of [ids.r, ids.a2, ids.d2]) expect(await switchTo(base, id)).toBe(ids.d2);
    expect(await remembered()).toEqual(before);
  });

  it("answers NotFound for another user's conversation or message, or one from elsewhere", async () => {
    const { base, ids } = await forkedTree();
    const bob = await conversationOfNewUser();
    const his = await say(bob, "his");
    const other = { ...base, conversationId: (await makeConversation(db(), base.userId)).id };
    const elsewhere = await say(other, "elsewhere");
    const attempts = [
      { ...base, messageId: his },
      { ...base, messageId: elsewhere },
      { ...base, messageId: randomUUID() },
      { ...bob, messageId: ids.a1 },
      { ...base, userId: bob.userId, messageId: ids.a1 },
      { ...base, conversationId: randomUUID(), messageId: ids.a1 },
    ];
    for (const attempt of attempts) {
      await expect(switchVersion(db(), attempt)).rejects.toBeInstanceOf(NotFoundError);
    }
    expect(await shown(base)).toEqual([ids.r, ids.a2, ids.d2]);
  });

  it("leaves one consistent current branch after concurrent switches", async () => {
    const { base, ids } = await forkedTree();
    const targets = [ids.a1, ids.a2, ids.b2, ids.b1, ids.a1, ids.c2, ids.a2, ids.b1];
    const leaves = await Promise.all(targets.map((id) => switchTo(base, id)));
    for (const leaf of leaves) expect([ids.c1, ids.c2, ids.d2]).toContain(leaf);
    const branches = [
      [ids.r, ids.a1, ids.b1, ids.c1],
      [ids.r, ids.a1, ids.b2, ids.c2],
      [ids.r, ids.a2, ids.d2],
    ];
    expect(branches).toContainEqual(await shown(base));
    // Every fork remembers a leaf below itself.
    const remembered = await queryRows<{ id: string; last_leaf_id: string }>(
      db(),
      sql`select id, last_leaf_id from messages where conversation_id = ${base.conversationId}
        and last_leaf_id is not null`,
    );
    for (const { id, last_leaf_id } of remembered) {
      expect(branches.some((b) => b.includes(id) && b.at(-1) === last_leaf_id)).toBe(true);
    }
  });
});
