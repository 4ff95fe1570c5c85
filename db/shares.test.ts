import { createHash, randomBytes, randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ConflictError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { countMessages, makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import {
  addMessage,
  copySharedConversation,
  createShare,
  type Database,
  deleteConversation,
  deleteShare,
  finishReply,
  getConversation,
  getMessages,
  getSharedConversation,
  getSharedMessages,
  listShares,
  startTurn,
  switchVersion,
} from "./index";
import { messages, shares } from "./schema";

const lease = { owner: "server-a", ms: 60_000 };

function newToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: createHash("sha256").update(token).digest("hex") };
}

async function share(db: Database, userId: string, conversationId: string) {
  const { tokenHash } = newToken();
  const created = await createShare(db, {
    id: randomUUID(),
    userId,
    conversationId,
    tokenHash,
    sealedToken: "sealed",
  });
  if (!created) throw new Error("share not created");
  return { ...created, tokenHash };
}

async function sharedContents(db: Database, tokenHash: string) {
  const page = await getSharedMessages(db, { tokenHash, limit: 200 });
  return page.items.map((m) => m.content);
}

/** A new conversation of `userId`'s: the message "Question" and its reply, still streaming. */
async function askQuestion(db: Database, userId: string) {
  const conversationId = randomUUID();
  const turn = await startTurn(db, {
    userId,
    conversationId,
    message: { id: randomUUID(), content: "Question" },
    replyId: randomUUID(),
    lease,
  });
  return { conversationId, turn };
}

/** What `userId` holds after continuing the link in a new conversation of theirs. */
async function copiedMessages(db: Database, tokenHash: string, userId: string) {
  const copy = await copySharedConversation(db, {
    tokenHash,
    userId,
    conversationId: randomUUID(),
  });
  const page = await getMessages(db, { conversationId: copy?.conversationId ?? "", userId });
  return page.items;
}

describeOnEachDriver("shares", (db) => {
  it("shows the conversation as it was when shared: later messages stay hidden", async () => {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id, "Trip");
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 3, parallel: 1 });
    const link = await share(db(), alice.id, convo.id);
    expect(link.upToSequence).toBe(3);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 2, parallel: 1 });

    expect(await getSharedConversation(db(), { tokenHash: link.tokenHash })).toMatchObject({
      shareId: link.id,
      title: "Trip",
      upToSequence: 3,
    });
    expect(await sharedContents(db(), link.tokenHash)).toEqual([
      "message 0",
      "message 1",
      "message 2",
    ]);
    // The owner's own view still has everything.
    expect(await countMessages(db(), convo.id)).toBe(5);
  });

  it("pages what a link shows, oldest first, by depth along its branch", async () => {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 7, parallel: 1 });
    const link = await share(db(), alice.id, convo.id);
    const first = await getSharedMessages(db(), { tokenHash: link.tokenHash, limit: 3 });
    expect(first.items.map((m) => m.sequence)).toEqual([1, 2, 3]);
    expect(first.hasMore).toBe(true);
    const last = await getSharedMessages(db(), { tokenHash: link.tokenHash, after: 6, limit: 3 });
    expect(last.items.map((m) => m.sequence)).toEqual([7]);
    expect(last.hasMore).toBe(false);
  });

  it("leaves out a reply still being written, and shows it once it settles", async () => {
    const alice = await makeUser(db());
    const { conversationId, turn } = await askQuestion(db(), alice.id);
    const link = await share(db(), alice.id, conversationId);
    expect(link.upToSequence).toBe(2);
    expect(await sharedContents(db(), link.tokenHash)).toEqual(["Question"]);

    await finishReply(db(), {
      replyId: turn.reply?.id ?? "",
      lease,
      content: "Answer",
      outcome: { status: "complete" },
    });
    expect(await sharedContents(db(), link.tokenHash)).toEqual(["Question", "Answer"]);
  });

  it("revokes: the token opens nothing afterwards, and only the owner can revoke", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const convo = await makeConversation(db(), alice.id);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 1 });
    const link = await share(db(), alice.id, convo.id);

    expect(await deleteShare(db(), { shareId: link.id, userId: bob.id })).toBe(false);
    expect(await getSharedConversation(db(), { tokenHash: link.tokenHash })).not.toBeNull();

    expect(await deleteShare(db(), { shareId: link.id, userId: alice.id })).toBe(true);
    expect(await getSharedConversation(db(), { tokenHash: link.tokenHash })).toBeNull();
    expect(await getSharedMessages(db(), { tokenHash: link.tokenHash })).toEqual({
      items: [],
      hasMore: false,
    });
    expect(await deleteShare(db(), { shareId: link.id, userId: alice.id })).toBe(false);
  });

  it("deletes a conversation's shares with it", async () => {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    const link = await share(db(), alice.id, convo.id);
    await deleteConversation(db(), { conversationId: convo.id, userId: alice.id });
    expect(await getSharedConversation(db(), { tokenHash: link.tokenHash })).toBeNull();
    expect(await db().select().from(shares).where(eq(shares.id, link.id))).toEqual([]);
  });

  it("shares only one's own conversation; the same share id again is the same share", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const convo = await makeConversation(db(), alice.id);
    const { tokenHash } = newToken();
    const input = { id: randomUUID(), conversationId: convo.id, tokenHash, sealedToken: "s" };
    expect(await createShare(db(), { ...input, userId: bob.id })).toBeNull();

    const first = await createShare(db(), { ...input, userId: alice.id });
    const again = await createShare(db(), {
      ...input,
      userId: alice.id,
      tokenHash: "0".repeat(64),
    });
    expect(again).toEqual(first);
    expect(
      await db().select().from(shares).where(eq(shares.conversationId, convo.id)),
    ).toHaveLength(1);
    // Someone else's share id is not theirs to reuse.
    await expect(
      createShare(db(), {
        ...input,
        userId: bob.id,
        conversationId: (await makeConversation(db(), bob.id)).id,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it("lists a user's shares newest first, page by page, with the conversation's title", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const convo = await makeConversation(db(), alice.id, "Shared");
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await share(db(), alice.id, convo.id));
    await share(db(), bob.id, (await makeConversation(db(), bob.id)).id);
    // Distinct creation times, oldest first in `made`.
    for (const [i, link] of made.entries()) {
      await db()
        .update(shares)
        .set({ createdAt: new Date(Date.now() - 60_000 + i * 1000) })
        .where(eq(shares.id, link.id));
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listShares(db(), { userId: alice.id, limit: 2, cursor });
      seen.push(...page.items.map((s) => s.id));
      expect(page.items.every((s) => s.title === "Shared")).toBe(true);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.map((s) => s.id).reverse());
  });

  it("continues a share in the visitor's account: a copy of what the link shows, once", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const { conversationId, turn } = await askQuestion(db(), alice.id);
    await finishReply(db(), {
      replyId: turn.reply?.id ?? "",
      lease,
      content: "Answer",
      outcome: { status: "complete", model: "offline", endpoint: "offline" },
    });
    const link = await share(db(), alice.id, conversationId);
    await addMessage(db(), {
      id: randomUUID(),
      conversationId,
      userId: alice.id,
      role: "user",
      content: "After sharing",
    });

    const copyId = randomUUID();
    // A double click: both requests at once, one copy.
    const continueAsBob = () =>
      copySharedConversation(db(), {
        tokenHash: link.tokenHash,
        userId: bob.id,
        conversationId: copyId,
      });
    const results = await Promise.all([continueAsBob(), continueAsBob()]);
    expect(results.map((r) => r?.created).sort()).toEqual([false, true]);

    const copy = await getMessages(db(), { conversationId: copyId, userId: bob.id });
    expect(copy.items.map((m) => [m.sequence, m.role, m.content, m.status])).toEqual([
      [1, "user", "Question", "complete"],
      [2, "assistant", "Answer", "complete"],
    ]);
    const [question, answer] = copy.items;
    expect(answer?.replyTo).toBe(question?.id);
    expect(answer).toMatchObject({ model: "offline", endpoint: "offline" });
    expect(copy.items.map((m) => m.id)).not.toContain(turn.userMessage.id);
    // The copy continues like any conversation of Bob's: the next message is number 3.
    const next = await addMessage(db(), {
      id: randomUUID(),
      conversationId: copyId,
      userId: bob.id,
      role: "user",
      content: "Bob goes on",
    });
    expect(next.sequence).toBe(3);
    expect(await getConversation(db(), { conversationId: copyId, userId: bob.id })).toMatchObject({
      userId: bob.id,
    });
    // The original is untouched.
    expect(await countMessages(db(), conversationId)).toBe(3);

    // Someone else cannot take over the copy's id; a revoked link copies nothing.
    const carol = await makeUser(db());
    await expect(
      copySharedConversation(db(), {
        tokenHash: link.tokenHash,
        userId: carol.id,
        conversationId: copyId,
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    await deleteShare(db(), { shareId: link.id, userId: alice.id });
    expect(
      await copySharedConversation(db(), {
        tokenHash: link.tokenHash,
        userId: carol.id,
        conversationId: randomUUID(),
      }),
    ).toBeNull();
  });

  it("copies a reply whose server died as interrupted, and leaves out a live one", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const { conversationId, turn } = await askQuestion(db(), alice.id);
    const link = await share(db(), alice.id, conversationId);
    const liveCopy = await copiedMessages(db(), link.tokenHash, bob.id);
    expect(liveCopy.map((m) => m.content)).toEqual(["Question"]);

    await db()
      .update(messages)
      .set({ content: "Half an ans", leaseExpiresAt: sql`now() - interval '1 second'` })
      .where(eq(messages.id, turn.reply?.id ?? ""));
    const deadCopy = await copiedMessages(db(), link.tokenHash, bob.id);
    expect(deadCopy.map((m) => [m.content, m.status])).toEqual([
      ["Question", "complete"],
      ["Half an ans", "interrupted"],
    ]);
  });

  it("shows and copies the branch current when shared, whatever happens to the tree after", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const base = { conversationId: (await makeConversation(db(), alice.id, "Tree")).id };
    const say = (content: string, parentId?: string | null) =>
      addMessage(db(), {
        ...base,
        userId: alice.id,
        id: randomUUID(),
        role: "user",
        content,
        parentId,
      }).then((m) => m.id);
    // r ─ a1 ─ b1, then a2 beside a1 and b2 under it: the shared branch r ─ a2 ─ b2 spans two
    // segments.
    const r = await say("r");
    const a1 = await say("a1");
    await say("b1");
    const a2 = await say("a2", r);
    await say("b2");
    const link = await share(db(), alice.id, base.conversationId);

    // After sharing: an edit of b2 and of r (a new root), a switch back to a1, more there.
    await say("b2 edited", a2);
    await say("new root", null);
    await switchVersion(db(), { ...base, userId: alice.id, messageId: a1 });
    await say("c1");

    expect(await sharedContents(db(), link.tokenHash)).toEqual(["r", "a2", "b2"]);
    const first = await getSharedMessages(db(), { tokenHash: link.tokenHash, limit: 2 });
    expect(first.items.map((m) => [m.content, m.depth])).toEqual([
      ["r", 1],
      ["a2", 2],
    ]);
    expect(first.hasMore).toBe(true);
    const rest = await getSharedMessages(db(), { tokenHash: link.tokenHash, after: 2 });
    expect(rest).toMatchObject({ items: [{ content: "b2", depth: 3 }], hasMore: false });

    const copyId = randomUUID();
    const copy = () =>
      copySharedConversation(db(), {
        tokenHash: link.tokenHash,
        userId: bob.id,
        conversationId: copyId,
      });
    expect(await copy()).toEqual({ conversationId: copyId, created: true });
    expect(await copy()).toEqual({ conversationId: copyId, created: false });
    const copied = await getMessages(db(), { conversationId: copyId, userId: bob.id });
    expect(copied.items.map((m) => [m.content, m.sequence, m.depth, m.versionCount])).toEqual([
      ["r", 1, 1, 1],
      ["a2", 2, 2, 1],
      ["b2", 3, 3, 1],
    ]);
    expect(copied.items.map((m) => m.parentId)).toEqual([
      null,
      copied.items[0]?.id,
      copied.items[1]?.id,
    ]);
    expect(await countMessages(db(), copyId)).toBe(3);
  });

  it("shows nothing for a share made before anything was said", async () => {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    const link = await share(db(), alice.id, convo.id);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 2, parallel: 1 });
    expect(await sharedContents(db(), link.tokenHash)).toEqual([]);
  });
});
