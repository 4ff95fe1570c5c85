import { describe, expect, it } from "vitest";
import { applyChunk, initialProgress, type KnownChunk, readChunk } from "./reply-chunks";

function run(values: unknown[], start = initialProgress()) {
  let progress = start;
  for (const value of values) {
    const chunk = readChunk(value);
    if (chunk) progress = applyChunk(progress, chunk);
  }
  return progress;
}

const meta = { replyId: "r1", status: "streaming", sequence: 4, model: "offline" };

describe("readChunk", () => {
  it("ignores unknown and malformed chunks", () => {
    expect(readChunk({ type: "reasoning-delta", delta: "x" })).toBeNull();
    expect(readChunk({ type: "text-delta" })).toBeNull();
    expect(readChunk(null)).toBeNull();
    expect(readChunk("text")).toBeNull();
  });

  it("drops metadata fields of the wrong type", () => {
    const chunk = readChunk({
      type: "finish",
      messageMetadata: { status: "weird", sequence: "4", model: 7, endpoint: ["fake"] },
    });
    expect(chunk).toEqual({ type: "finish", meta: {} } satisfies KnownChunk);
  });
});

describe("applyChunk", () => {
  it("builds a reply from start, deltas and finish", () => {
    const progress = run([
      { type: "start", messageId: "r1", messageMetadata: meta },
      { type: "text-start", id: "text" },
      { type: "text-delta", id: "text", delta: "Hello " },
      { type: "text-delta", id: "text", delta: "world" },
      { type: "text-end", id: "text" },
      { type: "finish", messageMetadata: { ...meta, status: "complete" } },
    ]);
    expect(progress).toMatchObject({
      replyId: "r1",
      sequence: 4,
      content: "Hello world",
      status: "complete",
      finished: true,
    });
  });

  it("records which model, through which endpoint, writes the reply", () => {
    const progress = run([
      { type: "start", messageId: "r1", messageMetadata: { ...meta, endpoint: null } },
      {
        type: "finish",
        messageMetadata: { ...meta, model: "model-b", endpoint: "fake", status: "complete" },
      },
    ]);
    expect(progress).toMatchObject({ model: "model-b", endpoint: "fake" });
  });

  it("replaces the text shown when a replay starts (resume, continue)", () => {
    const progress = run(
      [
        { type: "start", messageId: "r1", messageMetadata: meta },
        { type: "text-delta", id: "text", delta: "Partial text" },
        { type: "text-delta", id: "text", delta: " and more" },
      ],
      initialProgress("Partial"),
    );
    expect(progress.content).toBe("Partial text and more");
  });

  it("records the error of a failed reply", () => {
    const progress = run([
      { type: "start", messageId: "r1", messageMetadata: meta },
      { type: "text-delta", id: "text", delta: "Half" },
      { type: "error", errorText: "Model unavailable" },
      { type: "finish", messageMetadata: { ...meta, status: "failed" } },
    ]);
    expect(progress).toMatchObject({
      content: "Half",
      status: "failed",
      error: "Model unavailable",
    });
  });

  it("ends empty when a replay finishes with no text", () => {
    const progress = run(
      [
        { type: "start", messageId: "r1", messageMetadata: meta },
        { type: "finish", messageMetadata: { ...meta, status: "stopped" } },
      ],
      initialProgress("stale"),
    );
    expect(progress).toMatchObject({ content: "", status: "stopped" });
  });
});
