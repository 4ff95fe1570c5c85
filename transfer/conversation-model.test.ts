import { describe, expect, it } from "vitest";
import type { ExportChunk } from "@/db/export";
import type { ImportConversationInput } from "@/db/import";
import { chatkeepDocument } from "./export";
import { runImport } from "./import";

// The conversation's model travels in the Chatkeep file (issue 17): exported as written, read
// back by the importer, checked for shape only.

const userId = "5b9d0c5e-3c1f-4f0e-9a55-2d8e1b7c6a40";
const limits = { maxBytes: 1024 * 1024, maxConversations: 100 };
const at = new Date(Date.UTC(2026, 4, 1, 9));

const conversation = (
  id: string,
  model: { modelEndpoint: string | null; model: string | null },
): ExportChunk => ({
  kind: "conversation",
  conversation: {
    id,
    userId,
    title: id,
    createdAt: at,
    updatedAt: at,
    currentLeafId: null,
    ...model,
  },
});

async function* from<T>(items: T[]) {
  yield* items;
}

async function documentOf(chunks: ExportChunk[]): Promise<string> {
  let text = "";
  for await (const part of chatkeepDocument(from(chunks), at)) text += part;
  return text;
}

async function imported(text: string) {
  const stored: ImportConversationInput["conversation"][] = [];
  const summary = await runImport(from([new TextEncoder().encode(text)]), {
    userId,
    limits,
    store: async (conversation) => {
      stored.push(conversation);
      return "imported";
    },
  });
  return { summary, stored };
}

describe("a conversation's model in a Chatkeep file", () => {
  it("is exported, and imported back as it was", async () => {
    const text = await documentOf([
      conversation("chosen", { modelEndpoint: "ollama", model: "meta-llama/Llama-3-8B" }),
      conversation("default", { modelEndpoint: null, model: null }),
    ]);
    expect(JSON.parse(text).conversations.map((c: { model: unknown }) => c.model)).toEqual([
      { endpointId: "ollama", modelId: "meta-llama/Llama-3-8B" },
      null,
    ]);
    const { summary, stored } = await imported(text);
    expect(summary).toMatchObject({ imported: 2, failedCount: 0 });
    expect(stored.map((c) => c.model)).toEqual([
      { endpointId: "ollama", modelId: "meta-llama/Llama-3-8B" },
      null,
    ]);
  });

  it("may be absent (a file from before it existed)", async () => {
    const text = (
      await documentOf([conversation("old", { modelEndpoint: null, model: null })])
    ).replace(',"model":null', "");
    expect(text).not.toContain('"model"');
    const { summary, stored } = await imported(text);
    expect(summary).toMatchObject({ imported: 1, failedCount: 0 });
    expect(stored[0]?.model).toBeNull();
  });

  it("of a bad shape fails that conversation, storing nothing of it", async () => {
    const good = await documentOf([conversation("bad", { modelEndpoint: "ollama", model: "m" })]);
    for (const model of ['{"endpointId":"Ollama!","modelId":"m"}', '{"endpointId":"x"}', '"x/y"']) {
      const text = good.replace('{"endpointId":"ollama","modelId":"m"}', model);
      const { summary, stored } = await imported(text);
      expect(summary).toMatchObject({ imported: 0, failedCount: 1 });
      expect(summary.failed[0]?.reason).toMatch(/model/);
      expect(stored).toEqual([]);
    }
  });
});
