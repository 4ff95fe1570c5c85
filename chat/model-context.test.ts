import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { finishReply, startTurn } from "@/db";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import { loadContext } from "./model-context";

const budget = { systemPrompt: "s", budgetTokens: 1_000_000 };
const lease = { owner: "test", ms: 60_000 };

describe("loadContext", () => {
  describeOnEachDriver("rebuilding a model's context from the database", (db) => {
    it("reads back across pages, oldest first, and only from the user's own conversation", async () => {
      const owner = await makeUser(db());
      const other = await makeUser(db());
      const conversation = await makeConversation(db(), owner.id);
      // More than one branch page (200 rows).
      const stored = await seedMessages(db(), {
        userId: owner.id,
        conversationId: conversation.id,
        total: 231,
      });
      const inOrder = stored.sort((a, b) => a.sequence - b.sequence);
      const reply = inOrder.at(-1)?.id ?? "";
      const context = await loadContext(db(), {
        userId: owner.id,
        conversationId: conversation.id,
        replyId: reply,
        ...budget,
      });
      expect(context.messages.map((message) => message.content)).toEqual(
        inOrder.slice(0, -1).map((m) => m.content),
      );

      await expect(
        loadContext(db(), {
          userId: other.id,
          conversationId: conversation.id,
          replyId: reply,
          ...budget,
        }),
      ).rejects.toThrow("not found");
    });

    it("gives the reply to an edit its own branch: never the version it replaces", async () => {
      const user = await makeUser(db());
      const conversationId = randomUUID();
      const turn = (content: string, parentId?: string | null) =>
        startTurn(db(), {
          userId: user.id,
          conversationId,
          message: { id: randomUUID(), content },
          replyId: randomUUID(),
          lease,
          parentId,
        });
      const answer = async (reply: { id: string } | null, content: string) =>
        finishReply(db(), {
          replyId: reply?.id ?? "",
          lease,
          content,
          outcome: { status: "complete" },
        });
      const first = await turn("What is a fork?");
      await answer(first.reply, "A utensil.");
      const second = await turn("Say more about forks");
      await answer(second.reply, "Four tines.");
      // The second question edited: a sibling of it, under the first reply.
      const edited = await turn("Actually, forks in git", first.reply?.id);
      const context = await loadContext(db(), {
        userId: user.id,
        conversationId,
        replyId: edited.reply?.id ?? "",
        ...budget,
      });
      expect(context.messages.map((m) => m.content)).toEqual([
        "What is a fork?",
        "A utensil.",
        "Actually, forks in git",
      ]);

      await answer(edited.reply, "Branches of history.");
      // An edit of the first message is a new root: nothing above it.
      const rewritten = await turn("Start over", null);
      const fresh = await loadContext(db(), {
        userId: user.id,
        conversationId,
        replyId: rewritten.reply?.id ?? "",
        ...budget,
      });
      expect(fresh.messages.map((m) => m.content)).toEqual(["Start over"]);
    });
  });
});
