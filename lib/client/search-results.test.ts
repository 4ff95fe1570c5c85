import { describe, expect, it } from "vitest";
import type { SearchHitJson } from "./api";
import { groupHits, hitHref } from "./search-results";

const hit = (conversation: string, sequence: number | null): SearchHitJson => ({
  conversation: { id: conversation, title: `Title ${conversation}` },
  message: sequence === null ? null : { id: `${conversation}-${sequence}`, role: "user", sequence },
  createdAt: "2026-01-01T00:00:00.000Z",
  snippet: [{ text: "x", match: true }],
});

describe("groupHits", () => {
  it("groups by conversation in the order of each one's newest hit, keeping hit order", () => {
    const groups = groupHits([hit("a", 9), hit("b", 4), hit("a", 3), hit("b", null), hit("c", 1)]);
    expect(
      groups.map((g) => [g.conversation.id, g.hits.map((h) => h.message?.sequence ?? null)]),
    ).toEqual([
      ["a", [9, 3]],
      ["b", [4, null]],
      ["c", [1]],
    ]);
  });
});

describe("hitHref", () => {
  it("opens a message hit at its sequence and a title hit at the end", () => {
    expect(hitHref(hit("a", 42))).toBe("/c/a?m=42");
    expect(hitHref(hit("a", null))).toBe("/c/a");
  });
});
