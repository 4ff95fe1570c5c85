import { describe, expect, it } from "vitest";
import { parseRecords, pendingKey } from "./pending-store";
import { isUuid, newId } from "./uuid";

describe("parseRecords", () => {
  it("keeps well-formed records, including refused ones", () => {
    const raw = JSON.stringify([
      { id: "a", content: "hello", createdAt: "2025-01-01T00:00:00.000Z" },
      { id: "b", content: "bad", createdAt: "2025-01-01T00:00:01.000Z", rejected: "too long" },
    ]);
    expect(parseRecords(raw)).toEqual([
      { id: "a", content: "hello", createdAt: "2025-01-01T00:00:00.000Z" },
      { id: "b", content: "bad", createdAt: "2025-01-01T00:00:01.000Z", rejected: "too long" },
    ]);
  });

  it("keeps where an edit goes: after a message, or as a new first message", () => {
    const raw = JSON.stringify([
      { id: "a", content: "edit", createdAt: "2025-01-01T00:00:00.000Z", parentId: "p" },
      { id: "b", content: "root", createdAt: "2025-01-01T00:00:00.000Z", parentId: null },
      { id: "c", content: "send", createdAt: "2025-01-01T00:00:00.000Z", parentId: 7 },
    ]);
    expect(parseRecords(raw).map((record) => record.parentId)).toEqual(["p", null, undefined]);
    expect("parentId" in (parseRecords(raw)[2] ?? {})).toBe(false);
  });

  it("keeps the model a message was written for, and drops a malformed one", () => {
    const model = { endpointId: "local", modelId: "llama3.1:8b" };
    const raw = JSON.stringify([
      { id: "a", content: "x", createdAt: "2025-01-01T00:00:00.000Z", model },
      { id: "b", content: "y", createdAt: "2025-01-01T00:00:00.000Z", model: "local/llama" },
    ]);
    const [chosen, malformed] = parseRecords(raw);
    expect(chosen?.model).toEqual(model);
    expect(malformed && "model" in malformed).toBe(false);
  });

  it("drops malformed entries and survives garbage", () => {
    expect(parseRecords(JSON.stringify([{ id: 1, content: "x" }, null, "s", { id: "c" }]))).toEqual(
      [],
    );
    expect(parseRecords("{not json")).toEqual([]);
    expect(parseRecords(JSON.stringify({ id: "a" }))).toEqual([]);
    expect(parseRecords(null)).toEqual([]);
  });
});

describe("pendingKey", () => {
  it("separates users and conversations", () => {
    expect(pendingKey("u1", "c1")).not.toBe(pendingKey("u2", "c1"));
    expect(pendingKey("u1", "c1")).not.toBe(pendingKey("u1", "c2"));
  });
});

describe("newId", () => {
  it("makes lower-case v4 UUIDs, even without crypto.randomUUID", () => {
    expect(isUuid(newId())).toBe(true);
    const original = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
      const id = newId();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});
