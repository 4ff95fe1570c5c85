import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { ConflictError, ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { countMessages, makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import {
  addMessage,
  createConversation,
  deleteConversation,
  finishReply,
  getConversation,
  getMessages,
  listConversations,
  renameConversation,
  startRegenerate,
  startTurn,
} from "./index";
import { conversations, users } from "./schema";

describeOnEachDriver("conversations", (db) => {
  it("creates a conversation only its owner can see", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const created = await createConversation(db(), { userId: alice.id, title: "Plans" });
    expect(created).toMatchObject({ userId: alice.id, title: "Plans" });
    expect(await getConversation(db(), { conversationId: created.id, userId: alice.id })).toEqual(
      created,
    );
    expect(await getConversation(db(), { conversationId: created.id, userId: bob.id })).toBeNull();
    expect(
      await getConversation(db(), { conversationId: randomUUID(), userId: alice.id }),
    ).toBeNull();
  });

  it("treats creating the same id again as the same conversation, but not for someone else", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const id = randomUUID();
    const first = await createConversation(db(), { userId: alice.id, id });
    const again = await createConversation(db(), { userId: alice.id, id, title: "ignored" });
    expect(again).toEqual(first);
    await expect(createConversation(db(), { userId: bob.id, id })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("lists newest activity first, page by page, each conversation once", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    // Distinct, past activity times (creation within one millisecond would tie).
    const start = Date.now() - 60_000;
    const created = Array.from({ length: 7 }, (_, i) => ({
      id: randomUUID(),
      userId: alice.id,
      title: `c${i}`,
      updatedAt: new Date(start + i * 1000),
    }));
    await db().insert(conversations).values(created);
    await makeConversation(db(), bob.id, "bob's");
    // Activity on the oldest moves it to the top.
    await addMessage(db(), {
      id: randomUUID(),
      conversationId: created[0]?.id ?? "",
      userId: alice.id,
      role: "user",
      content: "bump",
    });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations(db(), { userId: alice.id, limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((c) => c.title ?? ""));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    expect(seen).toEqual(["c0", "c6", "c5", "c4", "c3", "c2", "c1"]);
    const bobs = await listConversations(db(), { userId: bob.id });
    expect(bobs.items.map((c) => c.title)).toEqual(["bob's"]);
    expect(bobs.nextCursor).toBeNull();
  });

  it("puts first the conversation last written on any branch, shown or not", async () => {
    const alice = await makeUser(db());
    const lease = { owner: "server-a", ms: 60_000 };
    const [tree, other] = [
      await makeConversation(db(), alice.id),
      await makeConversation(db(), alice.id),
    ];
    const owned = { userId: alice.id, conversationId: tree.id };
    const turn = async (content: string, parentId?: string | null) => {
      const started = await startTurn(db(), {
        ...owned,
        message: { id: randomUUID(), content },
        replyId: randomUUID(),
        parentId,
        lease,
      });
      const replyId = started.reply?.id ?? "";
      await finishReply(db(), { replyId, lease, content: "ok", outcome: { status: "complete" } });
      return { messageId: started.userMessage.id, replyId };
    };
    const first = await turn("first");
    // An edit of the first message: its branch is no longer the one shown.
    await turn("first, edited", null);
    const order = async () =>
      (await listConversations(db(), { userId: alice.id })).items.map((c) => c.id);
    const touchOther = () =>
      addMessage(db(), {
        id: randomUUID(),
        userId: alice.id,
        conversationId: other.id,
        role: "user",
        content: "elsewhere",
      });

    await touchOther();
    expect(await order()).toEqual([other.id, tree.id]);
    // A regenerate of the reply on the branch not shown.
    await startRegenerate(db(), {
      ...owned,
      replyId: first.replyId,
      newReplyId: randomUUID(),
      lease,
    });
    expect(await order()).toEqual([tree.id, other.id]);

    await touchOther();
    expect(await order()).toEqual([other.id, tree.id]);
    // A message sent on the branch not shown (a tab still showing it).
    await addMessage(db(), {
      ...owned,
      id: randomUUID(),
      role: "user",
      content: "more",
      parentId: first.replyId,
    });
    expect(await order()).toEqual([tree.id, other.id]);
    expect((await getMessages(db(), owned)).items.at(-1)?.content).toBe("more");
  });

  it("keeps paging stable when many conversations share one timestamp", async () => {
    const alice = await makeUser(db());
    const at = new Date("2026-01-02T03:04:05.678Z");
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await db()
      .insert(conversations)
      .values(ids.map((id) => ({ id, userId: alice.id, updatedAt: at })));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listConversations(db(), { userId: alice.id, limit: 2, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual([...ids].sort().reverse());
  });

  it("rejects a forged cursor and out-of-range limits", async () => {
    const alice = await makeUser(db());
    await expect(
      listConversations(db(), { userId: alice.id, cursor: "not-a-cursor" }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(listConversations(db(), { userId: alice.id, limit: 101 })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(listConversations(db(), { userId: alice.id, limit: 0 })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("renames only the owner's conversation", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const convo = await makeConversation(db(), alice.id, "Before");
    expect(
      await renameConversation(db(), { conversationId: convo.id, userId: bob.id, title: "Hacked" }),
    ).toBeNull();
    const renamed = await renameConversation(db(), {
      conversationId: convo.id,
      userId: alice.id,
      title: "  After  ",
    });
    expect(renamed?.title).toBe("After");
    await expect(
      renameConversation(db(), { conversationId: convo.id, userId: alice.id, title: "   " }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      renameConversation(db(), { conversationId: convo.id, userId: alice.id, title: "a\u0000" }),
    ).rejects.toBeInstanceOf(ValidationError);
    const stored = await getConversation(db(), { conversationId: convo.id, userId: alice.id });
    expect(stored?.title).toBe("After");
  });

  it("deletes only the owner's conversation, and its messages with it", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const convo = await makeConversation(db(), alice.id);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 3 });

    expect(await deleteConversation(db(), { conversationId: convo.id, userId: bob.id })).toBe(
      false,
    );
    expect(await countMessages(db(), convo.id)).toBe(3);

    expect(await deleteConversation(db(), { conversationId: convo.id, userId: alice.id })).toBe(
      true,
    );
    expect(await getConversation(db(), { conversationId: convo.id, userId: alice.id })).toBeNull();
    expect(await countMessages(db(), convo.id)).toBe(0);
    expect(await deleteConversation(db(), { conversationId: convo.id, userId: alice.id })).toBe(
      false,
    );
  });

  it("deleting a user deletes their conversations and messages", async () => {
    const alice = await makeUser(db());
    const convo = await makeConversation(db(), alice.id);
    await seedMessages(db(), { userId: alice.id, conversationId: convo.id, total: 2 });
    await db().delete(users).where(eq(users.id, alice.id));
    const left = await db().select().from(conversations).where(eq(conversations.id, convo.id));
    expect(left).toEqual([]);
    expect(await countMessages(db(), convo.id)).toBe(0);
  });
});
