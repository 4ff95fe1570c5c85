import { generateText, type ModelMessage, streamText } from "ai";
import { describe, expect, it } from "vitest";
import { createOfflineModel } from "./offline-model";
import { countWords } from "./offline-reply";

const conversation: ModelMessage[] = [
  { role: "user", content: "What is the capital of France?" },
  { role: "assistant", content: "Paris." },
  { role: "user", content: "And of Spain?" },
];

async function streamDeltas(
  messages: ModelMessage[],
  { replyWords = 60, tokenDelayMs = 0, system = "Be helpful." } = {},
) {
  const result = streamText({
    model: createOfflineModel({ replyWords, tokenDelayMs }),
    system,
    messages,
  });
  const deltas: string[] = [];
  for await (const delta of result.textStream) deltas.push(delta);
  return { deltas, text: deltas.join(""), result };
}

describe("offline model", () => {
  it("quotes the first and latest user messages and counts the context", async () => {
    const { text } = await streamDeltas(conversation);
    expect(text).toMatch(
      /^Offline model: I received 3 messages of context\. Your first message was “What is the capital of France\?”\. Your latest message is “And of Spain\?”\. /,
    );
  });

  it("replies with exactly the configured number of words", async () => {
    for (const replyWords of [25, 60, 137]) {
      const { text } = await streamDeltas(conversation, { replyWords });
      expect(countWords(text)).toBe(replyWords);
    }
  });

  it("replies with just the opening when it is longer than the word budget", async () => {
    const { text } = await streamDeltas(conversation, { replyWords: 3 });
    expect(text).toMatch(/^Offline model: .*“And of Spain\?”\.$/);
  });

  it("collapses whitespace and truncates long quotes at 80 characters", async () => {
    const long = `line one\nline two ${"x".repeat(200)}`;
    const { text } = await streamDeltas([{ role: "user", content: long }]);
    const quoted = `line one line two ${"x".repeat(80 - "line one line two ".length)}…`;
    expect(text).toContain(`“${quoted}”`);
    expect(text).not.toContain("\n");
  });

  it("streams word by word with no trailing space at the end", async () => {
    const { deltas } = await streamDeltas(conversation, { replyWords: 30 });
    expect(deltas).toHaveLength(30);
    for (const delta of deltas.slice(0, -1)) expect(delta).toMatch(/^\S+ $/);
    expect(deltas.at(-1)).toMatch(/^\S+$/);
  });

  it("is deterministic, and different conversations get different filler", async () => {
    const first = await streamDeltas(conversation);
    const again = await streamDeltas(conversation, { system: "A different system prompt." });
    expect(again.text).toBe(first.text);

    const other = await streamDeltas([...conversation.slice(0, 2), { role: "user", content: "?" }]);
    const filler = (text: string) => text.split("”. ").at(-1);
    expect(filler(other.text)).not.toBe(filler(first.text));
  });

  it("reports finish reason and usage", async () => {
    const { result } = await streamDeltas(conversation, { replyWords: 42 });
    expect(await result.finishReason).toBe("stop");
    const usage = await result.usage;
    expect(usage.outputTokens).toBe(42);
    expect(usage.inputTokens).toBeGreaterThan(0);
  });

  it("waits between words", async () => {
    const started = performance.now();
    await streamDeltas(conversation, { replyWords: 12, tokenDelayMs: 10 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("answers the same through generateText", async () => {
    const { text } = await streamDeltas(conversation);
    const generated = await generateText({
      model: createOfflineModel({ replyWords: 60, tokenDelayMs: 0 }),
      messages: conversation,
    });
    expect(generated.text).toBe(text);
  });
});

describe("offline model continuing a partial reply", () => {
  it("streams exactly the rest of the reply after any word-boundary cut", async () => {
    const { deltas, text: full } = await streamDeltas(conversation, { replyWords: 20 });
    for (const cutAfterWords of [1, 5, 12, 19]) {
      const partial = deltas.slice(0, cutAfterWords).join("");
      const continued = await streamDeltas(
        [...conversation, { role: "assistant", content: partial }],
        { replyWords: 20 },
      );
      expect(partial + continued.text).toBe(full);
    }
  });

  it("also continues a partial cut mid-word or stored without its trailing space", async () => {
    const { text: full } = await streamDeltas(conversation);
    for (const partial of [full.slice(0, 23), full.slice(0, 40).trimEnd()]) {
      const continued = await streamDeltas([
        ...conversation,
        { role: "assistant", content: partial },
      ]);
      expect(partial + continued.text).toBe(full);
    }
  });

  it("streams the whole reply again when the partial is not a prefix of it", async () => {
    const { text: full } = await streamDeltas(conversation);
    const continued = await streamDeltas([
      ...conversation,
      { role: "assistant", content: "Something else entirely" },
    ]);
    expect(continued.text).toBe(full);
  });

  it("streams nothing more when the partial is already the whole reply", async () => {
    const { text: full } = await streamDeltas(conversation);
    const continued = await streamDeltas([...conversation, { role: "assistant", content: full }]);
    expect(continued.text).toBe("");
    expect(await continued.result.finishReason).toBe("stop");
  });
});

describe("offline model abort", () => {
  it("stops promptly and ends the stream with an abort part", async () => {
    const controller = new AbortController();
    const result = streamText({
      model: createOfflineModel({ replyWords: 500, tokenDelayMs: 5 }),
      messages: conversation,
      abortSignal: controller.signal,
    });

    const seen: string[] = [];
    let textDeltas = 0;
    for await (const part of result.fullStream) {
      seen.push(part.type);
      if (part.type === "text-delta" && ++textDeltas === 3) controller.abort();
    }

    expect(seen.at(-1)).toBe("abort");
    expect(seen).not.toContain("finish");
    expect(textDeltas).toBeLessThanOrEqual(4);
    // No step finished, so the result promises reject with the abort reason.
    await expect(result.text).rejects.toThrow(/aborted/);
  });

  it("does not start when already aborted", async () => {
    const result = streamText({
      model: createOfflineModel({ replyWords: 500, tokenDelayMs: 0 }),
      messages: conversation,
      abortSignal: AbortSignal.abort(),
    });
    const types: string[] = [];
    for await (const part of result.fullStream) types.push(part.type);
    expect(types).toEqual(["start", "abort"]);
  });
});
