import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { importIds } from "./ids";
import { runImport } from "./import";

const userId = "5b9d0c5e-3c1f-4f0e-9a55-2d8e1b7c6a40";
const ids = importIds(userId);
const fixture = (name: string) => readFileSync(path.resolve("test/fixtures/import", name));

// Ids that the previous release derived (computed with its code, `source:message:conv:msg`):
// rows imported by it must be recognised, so a second import of the same file stores nothing.
const PREVIOUS_RELEASE = {
  "chatgpt-conversations.json": {
    "fb9ac107-4fcd-5793-843a-d004d5dddd9e": [
      "6a8bc7fe-61f1-5779-87c0-f17c5fabc70a",
      "48920b43-a1a3-5fd6-8301-3dcf3efff50e",
      "4aabaecc-74b8-544f-a9e5-edfed35ff795",
    ],
    "0eb4fba4-b8a5-5074-9908-830e00af9bd0": [
      "5b13fc90-807e-5764-87b6-99dedee3a75e",
      "ebadb31f-a6d8-5c3e-967b-a4a2ae0a9a7c",
    ],
  },
  "chatkeep-export.json": {
    "6b6f5c6b-c39a-55b8-8aa9-1551354cdbae": [
      "69fe14b0-6573-5ab6-a2ac-d4786347953b",
      "6a9e3601-7361-5f67-a69c-307e5982efa2",
      "4f50df52-1b30-5ff4-b02c-2e8e832da257",
      "199b511f-82e5-54d7-a8bb-48f24c0b04da",
    ],
    "a9ae6c8c-3471-5245-9b36-ae659ebc2bdc": [],
  },
} as const;

describe("derived import ids", () => {
  it("tell a conversation and message apart however the source's ids hold the separator", () => {
    expect(ids.message("chatkeep", "a", "b:c")).not.toBe(ids.message("chatkeep", "a:b", "c"));
    expect(ids.message("chatgpt", "a:", "b")).not.toBe(ids.message("chatgpt", "a", ":b"));
    const split = [
      ["a:b:c", "d"],
      ["a:b", "c:d"],
      ["a", "b:c:d"],
      ["3:a", "b:c:d"],
    ].map(([conversation = "", message = ""]) => ids.message("chatgpt", conversation, message));
    expect(new Set(split).size).toBe(split.length);
  });

  it("stay what the previous release derived for ids without the separator", () => {
    expect(ids.conversation("chatgpt", "6653a1f0-1b2c-4d5e-8f90-a1b2c3d4e5f6")).toBe(
      "cededce1-30e0-5951-8139-1a6da76b6db9",
    );
    expect(ids.message("chatgpt", "6653a1f0-1b2c-4d5e-8f90-a1b2c3d4e5f6", "aaa1-node")).toBe(
      "bd218638-0fb7-5288-8b90-336316aee39f",
    );
    expect(ids.message("chatgpt", "conv with spaces é", "node-1")).toBe(
      "a5f391f4-99b3-5131-b518-93c17774d4ac",
    );
  });

  it.each(Object.keys(PREVIOUS_RELEASE) as Array<keyof typeof PREVIOUS_RELEASE>)(
    "re-importing %s imported by the previous release derives every id it stored",
    async (name) => {
      const previous: Record<string, readonly string[]> = PREVIOUS_RELEASE[name];
      const derived: Record<string, string[]> = {};
      const summary = await runImport([fixture(name)], {
        userId,
        limits: { maxBytes: 1024 * 1024, maxConversations: 100 },
        store: async (conversation) => {
          derived[conversation.id] = conversation.messages.map((m) => m.id);
          return Object.hasOwn(previous, conversation.id) ? "skipped" : "imported";
        },
      });
      expect(summary).toMatchObject({ imported: 0, failedCount: 0 });
      expect(Object.keys(derived)).toEqual(Object.keys(previous));
      // The branch it kept, in its order; ChatGPT's other branches come on top of it (the
      // importer adds only those to the stored conversation, db/transfer-reimport.test.ts).
      for (const [id, messages] of Object.entries(previous)) {
        const kept = derived[id]?.filter((message) => messages.includes(message));
        expect(kept).toEqual(messages);
      }
    },
  );
});
