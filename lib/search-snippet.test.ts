import { describe, expect, it } from "vitest";
import { MATCH_END as E, MATCH_START as S, snippetSegments } from "./search-snippet";

describe("snippetSegments", () => {
  it("splits marked words from the text around them", () => {
    expect(snippetSegments(`the ${S}pizza${E} was ${S}hot${E}`)).toEqual([
      { text: "the ", match: false },
      { text: "pizza", match: true },
      { text: " was ", match: false },
      { text: "hot", match: true },
    ]);
  });

  it("joins adjacent matches and drops empty runs", () => {
    expect(snippetSegments(`${S}new${E}${S}york${E}`)).toEqual([{ text: "newyork", match: true }]);
    expect(snippetSegments("")).toEqual([]);
  });

  it("keeps markup-looking text as text", () => {
    expect(snippetSegments(`<b>${S}x${E}</b><script>`)).toEqual([
      { text: "<b>", match: false },
      { text: "x", match: true },
      { text: "</b><script>", match: false },
    ]);
  });

  it("survives unbalanced marks without losing text", () => {
    expect(snippetSegments(`a${E}b${S}c`)).toEqual([
      { text: "ab", match: false },
      { text: "c", match: true },
    ]);
  });
});
