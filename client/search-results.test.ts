import { describe, expect, it } from "vitest";
import type { SearchHitJson } from "./api";
import { groupHits, hitHref, selectedValue } from "./search-results";

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
  it("opens a message hit at its id (its branch) and a title hit at the end", () => {
    expect(hitHref(hit("a", 42))).toBe("/c/a?message=a-42");
    expect(hitHref(hit("a", null))).toBe("/c/a");
  });
});

describe("selectedValue", () => {
  it("keeps the person's choice among the same query's results", () => {
    expect(selectedValue({ query: "light", value: "b" }, "light", ["a", "b", "more-results"])).toBe(
      "b",
    );
  });

  it("selects the first item when the choice is no longer listed", () => {
    // cmdk selected the first of the old results as the new query was typed; they are gone.
    expect(selectedValue({ query: "number", value: "old" }, "lighthouse", ["x", "y"])).toBe("x");
    expect(selectedValue({ query: "lighthouse", value: "old" }, "lighthouse", ["x", "y"])).toBe(
      "x",
    );
  });

  it("starts a new query's results at the top, even where an old choice is listed again", () => {
    expect(selectedValue({ query: "light", value: "y" }, "lighthouse", ["x", "y"])).toBe("x");
  });

  it("selects nothing when nothing is listed", () => {
    expect(selectedValue({ query: "", value: "" }, "zzz", [])).toBe("");
  });
});
