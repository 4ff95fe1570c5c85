import { describe, expect, it } from "vitest";
import type { ExportChunk, ExportedRow } from "@/db/export";
import { byteStream, chatkeepDocument, downloadName, markdownDocument } from "./export";

const at = (minute: number) => new Date(Date.UTC(2026, 4, 1, 9, minute));

const messageId = (sequence: number) =>
  `00000000-0000-4000-8000-${String(sequence).padStart(12, "0")}`;

/** A message of a line: its parent is the message before. */
function message(sequence: number, overrides: Partial<ExportedRow> = {}): ExportedRow {
  return {
    id: messageId(sequence),
    parentId: sequence > 1 ? messageId(sequence - 1) : null,
    versionIndex: 0,
    conversationId: "c",
    role: sequence % 2 ? "user" : "assistant",
    content: `message ${sequence}`,
    sequence,
    status: "complete",
    finishReason: null,
    model: null,
    endpoint: null,
    inputTokens: null,
    outputTokens: null,
    error: null,
    replyTo: null,
    createdAt: at(sequence),
    updatedAt: at(sequence),
    ...overrides,
  };
}

const conversation = (id: string, title: string | null): ExportChunk => ({
  kind: "conversation",
  conversation: {
    id,
    userId: "u",
    title,
    createdAt: at(0),
    updatedAt: at(9),
    currentLeafId: null,
    modelEndpoint: null,
    model: null,
  },
});

async function* from(chunks: ExportChunk[]) {
  yield* chunks;
}

async function text(parts: AsyncGenerator<string>) {
  let all = "";
  for await (const part of parts) all += part;
  return all;
}

describe("the export document", () => {
  it("is one JSON document holding every field, whatever the paging", async () => {
    const document = await text(
      chatkeepDocument(
        from([
          conversation("a", "First"),
          { kind: "messages", conversationId: "a", messages: [message(1), message(2)] },
          {
            kind: "messages",
            conversationId: "a",
            messages: [
              message(3, {
                status: "streaming",
                inputTokens: 5,
                outputTokens: 7,
                parentId: message(1).id,
                versionIndex: 1,
              }),
            ],
          },
          conversation("b", null),
          conversation("c", "Third"),
          { kind: "messages", conversationId: "c", messages: [message(1)] },
        ]),
        at(30),
      ),
    );
    const parsed = JSON.parse(document);
    expect(parsed).toMatchObject({
      format: "chatkeep",
      version: 2,
      exportedAt: at(30).toISOString(),
    });
    expect(parsed.conversations[0]).toMatchObject({ currentLeafId: null, title: "First" });
    expect(parsed.conversations.map((c: { id: string }) => c.id)).toEqual(["a", "b", "c"]);
    expect(parsed.conversations[0].messages).toHaveLength(3);
    expect(parsed.conversations[0].messages[2]).toEqual({
      id: message(3).id,
      sequence: 3,
      parentId: message(1).id,
      versionIndex: 1,
      role: "user",
      content: "message 3",
      status: "streaming",
      finishReason: null,
      model: null,
      endpoint: null,
      usage: { inputTokens: 5, outputTokens: 7 },
      error: null,
      replyTo: null,
      createdAt: at(3).toISOString(),
      updatedAt: at(3).toISOString(),
    });
    expect(parsed.conversations[1]).toMatchObject({ title: null, messages: [] });
    expect(JSON.parse(await text(chatkeepDocument(from([]), at(0)))).conversations).toEqual([]);
  });

  it("is produced as it is read: a reader taking the first bytes pulls only the first pages", async () => {
    let pagesRead = 0;
    // An account with no end: only pulling on demand can export it.
    async function* endless(): AsyncGenerator<ExportChunk> {
      for (let i = 0; ; i++) {
        pagesRead += 1;
        yield i % 10 === 0
          ? conversation(`c${i}`, "x")
          : { kind: "messages", conversationId: "c", messages: [message(i)] };
      }
    }
    const reader = byteStream(chatkeepDocument(endless(), at(0))).getReader();
    for (let i = 0; i < 5; i++) await reader.read();
    await reader.cancel();
    expect(pagesRead).toBeLessThanOrEqual(5);
  });

  it("writes Markdown with the title, then each message under its role and time", async () => {
    const markdown = await text(
      markdownDocument(
        from([
          conversation("a", "Trip  to\nLisbon"),
          {
            kind: "messages",
            conversationId: "a",
            messages: [message(1), message(2, { status: "stopped", content: "half an answer" })],
          },
        ]),
      ),
    );
    expect(markdown).toBe(
      [
        "# Trip to Lisbon",
        "",
        "_Exported from Chatkeep · started 2026-05-01 09:00 UTC_",
        "",
        "## You · 2026-05-01 09:01 UTC",
        "",
        "message 1",
        "",
        "## Assistant · 2026-05-01 09:02 UTC (stopped)",
        "",
        "half an answer",
        "",
      ].join("\n"),
    );
  });

  it("names downloads with letters, digits and dashes only", () => {
    expect(downloadName('Café "plans" / ../etc\r\n', "md", at(0))).toBe(
      "cafe-plans-etc-2026-05-01.md",
    );
    expect(downloadName("😀😀", "json", at(0))).toBe("conversation-2026-05-01.json");
    expect(downloadName(null, "json", at(0))).toBe("conversation-2026-05-01.json");
    expect(downloadName("x".repeat(300), "md", at(0))).toHaveLength(60 + "-2026-05-01.md".length);
  });
});
