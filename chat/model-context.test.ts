import { describe, expect, it } from "vitest";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeConversation, makeUser, seedMessages } from "@/test/support/factories";
import { loadContext } from "./model-context";

describe("loadContext", () => {
  describeOnEachDriver("rebuilding a model's context from the database", (db) => {
    it("reads back across pages, oldest first, and only from the user's own conversation", async () => {
      const owner = await makeUser(db());
      const other = await makeUser(db());
      const conversation = await makeConversation(db(), owner.id);
      // More than one context page (200 rows).
      const stored = await seedMessages(db(), {
        userId: owner.id,
        conversationId: conversation.id,
        total: 230,
      });
      const inOrder = stored.sort((a, b) => a.sequence - b.sequence).map((m) => m.content);
      const budget = { systemPrompt: "s", budgetTokens: 1_000_000 };

      const context = await loadContext(db(), {
        userId: owner.id,
        conversationId: conversation.id,
        beforeSequence: 231,
        ...budget,
      });
      expect(context.messages.map((message) => message.content)).toEqual(inOrder);

      const stranger = await loadContext(db(), {
        userId: other.id,
        conversationId: conversation.id,
        beforeSequence: 231,
        ...budget,
      });
      expect(stranger.messages).toEqual([]);
    });
  });
});
