import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import { countMessages, makeConversation, makeUser } from "@/test/support/factories";
import { pathSpans } from "./branches";
import { addMessage, forkConversation, getConversation, getMessages, startTurn } from "./index";

describeOnEachDriver("forks", (db) => {
  type Owned = { conversationId: string; userId: string };
  const say = (base: Owned, content: string, parentId?: string | null) =>
    addMessage(db(), { ...base, id: randomUUID(), role: "user", content, parentId }).then(
      (m) => m.id,
    );
  const contents = async (base: Owned) =>
    (await getMessages(db(), { ...base, limit: 200 })).items.map((m) => m.content);

  async function source(title = "Plans") {
    const user = await makeUser(db());
    const convo = await makeConversation(db(), user.id, title);
    return { conversationId: convo.id, userId: user.id };
  }

  it("copies the path to a message on a branch not shown into a new conversation, once", async () => {
    const base = await source("Trip");
    const r = await say(base, "r");
    const a1 = await say(base, "a1");
    const b1 = await say(base, "b1");
    await say(base, "c1");
    await say(base, "a2", r);
    expect(await contents(base)).toEqual(["r", "a2"]);

    const conversationId = randomUUID();
    const fork = () =>
      forkConversation(db(), {
        userId: base.userId,
        sourceId: base.conversationId,
        messageId: b1,
        conversationId,
      });
    const [first, second] = await Promise.all([fork(), fork()]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(first.conversation).toMatchObject({ id: conversationId, title: "Trip" });
    expect(second.conversation).toEqual(first.conversation);
    expect((await fork()).created).toBe(false);
    // The same id for another message, even one on the same path, names another copy.
    await expect(
      forkConversation(db(), {
        userId: base.userId,
        sourceId: base.conversationId,
        messageId: a1,
        conversationId,
      }),
    ).rejects.toBeInstanceOf(ConflictError);

    const forked = { conversationId, userId: base.userId };
    const page = await getMessages(db(), forked);
    expect(page.items.map((m) => [m.content, m.sequence, m.depth, m.versionCount])).toEqual([
      ["r", 1, 1, 1],
      ["a1", 2, 2, 1],
      ["b1", 3, 3, 1],
    ]);
    expect(page.items.map((m) => m.id)).not.toContain(a1);
    expect(await countMessages(db(), conversationId)).toBe(3);
    // It goes on like any conversation; the source is untouched.
    await say(forked, "more");
    expect(await contents(forked)).toEqual(["r", "a1", "b1", "more"]);
    expect(await contents(base)).toEqual(["r", "a2"]);
    expect(await countMessages(db(), base.conversationId)).toBe(5);
  });

  it("copies a deep path across several segments in one statement", async () => {
    const base = await source();
    // Each level forks: the path to the last message crosses a new segment at every step.
    let parent: string | null = null;
    const path: string[] = [];
    for (let depth = 1; depth <= 12; depth++) {
      if (parent) await say(base, `first ${depth}`, parent);
      parent = await say(base, `path ${depth}`, parent);
      path.push(`path ${depth}`);
    }
    const leaf = parent as string;
    const spans = await pathSpans(db(), { ...base, leafId: leaf });
    expect(spans.length).toBeGreaterThan(10);

    const conversationId = randomUUID();
    await forkConversation(db(), {
      userId: base.userId,
      sourceId: base.conversationId,
      messageId: leaf,
      conversationId,
    });
    expect(await contents({ conversationId, userId: base.userId })).toEqual(path);
    expect(await pathSpans(db(), { conversationId, userId: base.userId })).toEqual([
      { segmentId: conversationId, from: 1, to: 12 },
    ]);
  });

  it("leaves out a reply still being written: the copy ends at its question", async () => {
    const user = await makeUser(db());
    const sourceId = randomUUID();
    const turn = await startTurn(db(), {
      userId: user.id,
      conversationId: sourceId,
      message: { id: randomUUID(), content: "Question" },
      replyId: randomUUID(),
      lease: { owner: "server-a", ms: 60_000 },
    });
    const input = {
      userId: user.id,
      sourceId,
      messageId: turn.reply?.id ?? "",
      conversationId: randomUUID(),
    };
    expect((await forkConversation(db(), input)).created).toBe(true);
    expect(await contents({ conversationId: input.conversationId, userId: user.id })).toEqual([
      "Question",
    ]);
    expect((await forkConversation(db(), input)).created).toBe(false);
  });

  it("forks only the user's own conversation and a message in it; an id in use is a conflict", async () => {
    const [alice, bob] = [await source(), await source()];
    const message = await say(alice, "mine");
    const elsewhere = await say(bob, "bob's");
    const conversationId = randomUUID();
    const attempt = (
      input: { userId: string; sourceId: string; messageId: string },
      id: string = conversationId,
    ) => forkConversation(db(), { ...input, conversationId: id });

    await expect(
      attempt({ userId: bob.userId, sourceId: alice.conversationId, messageId: message }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      attempt({ userId: alice.userId, sourceId: alice.conversationId, messageId: elsewhere }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await getConversation(db(), { conversationId, userId: alice.userId })).toBeNull();
    expect(await getConversation(db(), { conversationId, userId: bob.userId })).toBeNull();

    await attempt({ userId: alice.userId, sourceId: alice.conversationId, messageId: message });
    // The same id for another source, by its owner or by someone else: refused, nothing copied.
    const other = await say(alice, "other", null);
    await expect(
      attempt({ userId: alice.userId, sourceId: alice.conversationId, messageId: other }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      attempt({ userId: bob.userId, sourceId: bob.conversationId, messageId: elsewhere }),
    ).rejects.toBeInstanceOf(ConflictError);
    // An ordinary conversation's id too.
    await expect(
      attempt(
        { userId: alice.userId, sourceId: alice.conversationId, messageId: message },
        bob.conversationId,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await countMessages(db(), conversationId)).toBe(1);
    const [row] = await queryRows<{ n: number }>(
      db(),
      sql`select count(*)::int as n from conversations where id = ${conversationId}`,
    );
    expect(row?.n).toBe(1);
  });
});
