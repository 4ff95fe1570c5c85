import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { ImportConversationInput } from "@/db/import";
import { ImportStoppedError, type ImportSummary, runImport } from "./import";

type Stored = ImportConversationInput["conversation"];
const userId = "5b9d0c5e-3c1f-4f0e-9a55-2d8e1b7c6a40";
const limits = { maxBytes: 1024 * 1024, maxConversations: 100 };
const fixture = (name: string) => readFileSync(path.resolve("test/fixtures/import", name));

async function* chunks(bytes: Uint8Array, size = 64) {
  for (let start = 0; start < bytes.length; start += size)
    yield bytes.subarray(start, start + size);
}

/** A store that remembers ids, as the database does: a second time is "skipped". */
function memoryStore() {
  const stored = new Map<string, Stored>();
  const store = async (conversation: Stored) => {
    if (stored.has(conversation.id)) return "skipped" as const;
    stored.set(conversation.id, conversation);
    return "imported" as const;
  };
  return { stored, store };
}

async function stopped(promise: Promise<unknown>): Promise<ImportStoppedError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImportStoppedError);
  return error as ImportStoppedError;
}

describe("runImport", () => {
  it("stores each conversation of a Chatkeep export, and nothing new the second time", async () => {
    const { stored, store } = memoryStore();
    const bytes = fixture("chatkeep-export.json");
    const first = await runImport(chunks(bytes), { userId, limits, store });
    expect(first).toEqual<ImportSummary>({
      format: "chatkeep",
      imported: 2,
      skipped: 0,
      failedCount: 0,
      failed: [],
    });
    const [packing] = stored.values();
    expect(packing?.title).toBe("Packing list");
    // A reply exported mid-stream is kept as far as it got, as an unfinished reply.
    expect(packing?.messages.map((m) => m.status)).toEqual([
      "complete",
      "complete",
      "complete",
      "interrupted",
    ]);
    expect(packing?.messages[1]).toMatchObject({ inputTokens: 31, outputTokens: 14 });
    expect(packing?.messages[1]?.replyTo).toBe(packing?.messages[0]?.id);
    const second = await runImport(chunks(bytes), { userId, limits, store });
    expect(second).toMatchObject({ imported: 0, skipped: 2, failedCount: 0 });
    expect(stored.size).toBe(2);
  });

  it("lists a bad conversation as failed with its reason and goes on with the rest", async () => {
    const { stored, store } = memoryStore();
    const summary = await runImport(chunks(fixture("chatgpt-one-bad.json")), {
      userId,
      limits,
      store,
    });
    expect(summary).toMatchObject({
      format: "chatgpt",
      imported: 2,
      failedCount: 1,
      failed: [{ index: 1, title: "Broken tree", reason: "mapping has no node x-9" }],
    });
    expect([...stored.values()].map((c) => c.title)).toEqual(["Fine before", "Fine after"]);
  });

  it("lists a conversation over its limits as failed, storing nothing of it, and goes on", async () => {
    const { stored, store } = memoryStore();
    const one = (title: string, padding = "") =>
      `{"title":"${title}","id":"${title}","create_time":1714640400,"current_node":"n",${padding}"mapping":{"n":{"parent":null,"message":{"author":{"role":"user"},"content":{"content_type":"text","parts":["${title}?"]}}}}}`;
    const junk = `"junk":[${Array(20_000).fill("{}").join(",")}],`;
    const file = new TextEncoder().encode(
      `[${one("before")},${one("padded", junk)},${one("after")}]`,
    );
    const summary = await runImport(chunks(file, 4096), {
      userId,
      limits: { ...limits, maxConversationBytes: 16 * 1024 },
      store,
    });
    expect(summary).toEqual<ImportSummary>({
      format: "chatgpt",
      imported: 2,
      skipped: 0,
      failedCount: 1,
      failed: [
        {
          index: 1,
          title: "padded",
          reason: "is larger than 16 KB, the limit for one conversation",
        },
      ],
    });
    expect([...stored.values()].map((c) => c.title)).toEqual(["before", "after"]);
  });

  it("lists a conversation the store refuses as failed, and goes on", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    let calls = 0;
    const summary = await runImport(chunks(fixture("chatgpt-conversations.json")), {
      userId,
      limits,
      store: async () => {
        calls += 1;
        if (calls === 1) throw new Error("constraint violated");
        return "imported";
      },
    });
    expect(summary).toMatchObject({ imported: 1, failedCount: 1 });
    expect(summary.failed[0]?.reason).toMatch(/could not be stored/);
  });

  it("logs a conversation the database refuses with its error code, never the statement's parameters", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    // What Drizzle throws: the failed statement and its parameters, the driver's error as cause.
    const cause = Object.assign(new Error("date/time field value out of range"), {
      code: "22008",
    });
    const failed = new Error(
      'Failed query: insert into "messages" ("content") values ($1)\nparams: Not dead, just hungry.',
      { cause },
    );
    const summary = await runImport(chunks(fixture("chatgpt-conversations.json")), {
      userId,
      limits,
      store: async () => {
        throw failed;
      },
    });
    expect(summary.failedCount).toBe(2);
    const output = logged.mock.calls.map((call) => call.map(String).join(" ")).join("\n");
    expect(output).toContain("22008");
    expect(output).not.toMatch(/hungry|params/);
    expect(logged.mock.calls.flat().some((argument) => argument instanceof Error)).toBe(false);
  });

  it("stops at truncation, reporting the conversations stored before it", async () => {
    const { stored, store } = memoryStore();
    const error = await stopped(
      runImport(chunks(fixture("truncated.json")), { userId, limits, store }),
    );
    expect(error.code).toBe("validation");
    expect(error.message).toMatch(/truncated/);
    expect(error.summary).toMatchObject({ imported: 1, failedCount: 0 });
    expect(stored.size).toBe(1);
    expect(error.toJSON()).toMatchObject({
      error: { code: "validation" },
      summary: { imported: 1 },
    });
  });

  it("stops at the size limit, declared or not", async () => {
    const { store } = memoryStore();
    const bytes = fixture("chatgpt-conversations.json");
    const error = await stopped(
      runImport(chunks(bytes), { userId, limits: { ...limits, maxBytes: 2048 }, store }),
    );
    expect(error.code).toBe("too_large");
    expect(error.message).toMatch(/larger than the 2 KB limit/);
  });

  it("stops past the conversation limit, after storing that many", async () => {
    const { stored, store } = memoryStore();
    const error = await stopped(
      runImport(chunks(fixture("chatgpt-one-bad.json")), {
        userId,
        limits: { ...limits, maxConversations: 1 },
        store,
      }),
    );
    expect(error.code).toBe("too_large");
    expect(error.message).toMatch(/more than 1 conversations/);
    expect(stored.size).toBe(1);
  });

  it("stores nothing of a file that is not JSON or nests too deep", async () => {
    const { stored, store } = memoryStore();
    for (const bytes of [
      fixture("not-json.txt"),
      new TextEncoder().encode(`[${"[".repeat(500_000)}`),
    ]) {
      const error = await stopped(runImport(chunks(bytes, 65_536), { userId, limits, store }));
      expect(error.code).toBe("validation");
      expect(error.summary.imported).toBe(0);
    }
    expect(stored.size).toBe(0);
  });

  it("reads the rest of a bad file (within the limit) before answering, so a browser gets the answer", async () => {
    const { store } = memoryStore();
    let pulled = 0;
    async function* badThenMore(total: number) {
      yield new TextEncoder().encode("not json at all");
      for (let i = 0; i < total; i++) {
        pulled += 1;
        yield new Uint8Array(1000);
      }
    }
    await stopped(runImport(badThenMore(50), { userId, limits, store }));
    expect(pulled).toBe(50);
    // Past the limit it stops reading: the client is sending more than may be read.
    pulled = 0;
    const small = { ...limits, maxBytes: 10_000 };
    await stopped(runImport(badThenMore(50), { userId, limits: small, store }));
    expect(pulled).toBeLessThan(15);
  });
});
