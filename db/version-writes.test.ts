import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { countMessages, makeUser } from "@/test/support/factories";
import {
  findVersion,
  finishReply,
  getMessages,
  getOwnMessage,
  startRegenerate,
  startTurn,
  switchVersion,
} from "./index";

const lease = { owner: "server-a", ms: 60_000 };

// Writing versions: an edit (a turn with an explicit parent) and a regenerate each add a
// sibling; nothing is overwritten. Switching among them is db/versions.test.ts.
describeOnEachDriver("writing versions", (db) => {
  async function finishedTurn(
    owned: { userId: string; conversationId: string },
    content: string,
    parentId?: string | null,
  ) {
    const turn = await startTurn(db(), {
      ...owned,
      message: { id: randomUUID(), content },
      replyId: randomUUID(),
      lease,
      parentId,
    });
    const replyId = turn.reply?.id ?? "";
    await finishReply(db(), {
      replyId,
      lease,
      content: `answer to ${content}`,
      outcome: { status: "complete" },
    });
    return { messageId: turn.userMessage.id, replyId };
  }

  async function newConversation() {
    const user = await makeUser(db());
    return { userId: user.id, conversationId: randomUUID() };
  }

  const shown = async (owned: { userId: string; conversationId: string }) =>
    (await getMessages(db(), { ...owned, limit: 200 })).items.map((m) => ({
      content: m.content,
      version: `${m.versionIndex + 1}/${m.versionCount}`,
    }));

  it("regenerates as a new version beside the old reply, which keeps its text", async () => {
    const owned = await newConversation();
    const first = await finishedTurn(owned, "hi");
    const newReplyId = randomUUID();
    const regenerated = await startRegenerate(db(), {
      ...owned,
      replyId: first.replyId,
      newReplyId,
      lease,
    });
    expect(regenerated).toMatchObject({
      created: true,
      reply: { id: newReplyId, status: "streaming", content: "", replyTo: first.messageId },
    });
    await finishReply(db(), {
      replyId: newReplyId,
      lease,
      content: "another answer",
      outcome: { status: "complete" },
    });
    expect(await shown(owned)).toEqual([
      { content: "hi", version: "1/1" },
      { content: "another answer", version: "2/2" },
    ]);
    await switchVersion(db(), { ...owned, messageId: first.replyId });
    expect(await shown(owned)).toEqual([
      { content: "hi", version: "1/1" },
      { content: "answer to hi", version: "1/2" },
    ]);

    // The same new id again: nothing more is written, the stored version comes back.
    const again = await startRegenerate(db(), {
      ...owned,
      replyId: first.replyId,
      newReplyId,
      lease,
    });
    expect(again).toMatchObject({ created: false, reply: { id: newReplyId } });
    expect(await countMessages(db(), owned.conversationId)).toBe(3);
    // That id used for something else is a conflict; a user message is not a reply.
    const second = await finishedTurn(owned, "more");
    await expect(
      startRegenerate(db(), { ...owned, replyId: second.replyId, newReplyId, lease }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      startRegenerate(db(), {
        ...owned,
        replyId: second.messageId,
        newReplyId: randomUUID(),
        lease,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("keeps another user out of regenerating and of finding versions", async () => {
    const owned = await newConversation();
    const first = await finishedTurn(owned, "mine");
    const stranger = await makeUser(db());
    const theirs = { userId: stranger.id, conversationId: owned.conversationId };
    await expect(
      startRegenerate(db(), { ...theirs, replyId: first.replyId, newReplyId: randomUUID(), lease }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      findVersion(db(), { ...theirs, siblingOf: first.replyId, versionIndex: 0 }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await countMessages(db(), owned.conversationId)).toBe(2);
  });

  it("edits a message as a sibling version and an edited first message as another root", async () => {
    const owned = await newConversation();
    const first = await finishedTurn(owned, "one");
    const second = await finishedTurn(owned, "two");
    await finishedTurn(owned, "two, edited", first.replyId);
    expect(await shown(owned)).toEqual([
      { content: "one", version: "1/1" },
      { content: "answer to one", version: "1/1" },
      { content: "two, edited", version: "2/2" },
      { content: "answer to two, edited", version: "1/1" },
    ]);
    await finishedTurn(owned, "one, edited", null);
    expect(await shown(owned)).toEqual([
      { content: "one, edited", version: "2/2" },
      { content: "answer to one, edited", version: "1/1" },
    ]);
    // Version 1 of the first message brings back the branch last viewed there.
    const firstVersion = await findVersion(db(), {
      ...owned,
      siblingOf: first.messageId,
      versionIndex: 0,
    });
    expect(firstVersion).toBe(first.messageId);
    await switchVersion(db(), { ...owned, messageId: firstVersion });
    expect((await shown(owned)).map((m) => m.content)).toEqual([
      "one",
      "answer to one",
      "two, edited",
      "answer to two, edited",
    ]);
    // The version of "two" it replaced is still stored, one switch away.
    const two = await findVersion(db(), { ...owned, siblingOf: second.messageId, versionIndex: 0 });
    expect(two).toBe(second.messageId);
    await expect(
      findVersion(db(), { ...owned, siblingOf: second.messageId, versionIndex: 2 }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("gives two tabs editing the same message at once two versions, neither lost", async () => {
    const owned = await newConversation();
    const first = await finishedTurn(owned, "start");
    const original = await finishedTurn(owned, "original");
    const edits = await Promise.all(
      ["tab one", "tab two"].map(async (content) => {
        const messageId = randomUUID();
        const turn = await startTurn(db(), {
          ...owned,
          message: { id: messageId, content },
          replyId: randomUUID(),
          lease,
          parentId: first.replyId,
        }).catch((error: unknown) => error);
        return { messageId, turn };
      }),
    );
    // One reply streams at a time per conversation: the second edit's turn may be refused
    // (409) while the first's reply is live, and then it stored nothing.
    const stored = await Promise.all(
      [original.messageId, ...edits.map((edit) => edit.messageId)].map((messageId) =>
        getOwnMessage(db(), { userId: owned.userId, messageId }),
      ),
    );
    const kept = stored.filter((message) => message !== null);
    const refused = edits.filter((edit) => edit.turn instanceof ConflictError);
    expect(kept).toHaveLength(3 - refused.length);
    expect(refused.length).toBeLessThanOrEqual(1);
    const indexes = await Promise.all(
      [0, 1, 2]
        .slice(0, kept.length)
        .map((versionIndex) =>
          findVersion(db(), { ...owned, siblingOf: original.messageId, versionIndex }),
        ),
    );
    expect(new Set(indexes).size).toBe(kept.length);
  });
});
