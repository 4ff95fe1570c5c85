import { describe, expect, it } from "vitest";
import { splitSearchQuery } from "./search-query";

describe("splitSearchQuery", () => {
  it.each([
    ["pizz", { complete: "", prefix: "pizz" }],
    ["best pizz", { complete: "best ", prefix: "pizz" }],
    ["best pizza ", { complete: "best pizza ", prefix: null }],
    ['"new york', { complete: '"new york', prefix: null }],
    ['"new york" piz', { complete: '"new york" ', prefix: "piz" }],
    ["pizza -anch", { complete: "pizza -anch", prefix: null }],
    ["e-mai", { complete: "e-", prefix: "mai" }],
    ["crème brûl", { complete: "crème ", prefix: "brûl" }],
    ["東京", { complete: "", prefix: "東京" }],
    ["release 2", { complete: "release ", prefix: "2" }],
  ])("%j", (query, expected) => {
    expect(splitSearchQuery(query)).toEqual(expected);
  });

  it("never puts tsquery syntax into the prefix", () => {
    for (const hostile of ["a:*", "x'", "a\\", "a&b|!c()", "foo:*A", "'':*", "a<->b"]) {
      const { prefix } = splitSearchQuery(hostile);
      expect(prefix === null || /^[\p{L}\p{M}\p{N}]+$/u.test(prefix), hostile).toBe(true);
    }
  });
});
