import { describe, expect, it } from "vitest";
import { splitBlocks } from "./split-blocks";

const sources = (text: string) => splitBlocks(text).map((block) => block.source);

describe("splitBlocks", () => {
  it("cuts at blank lines before text at the left margin", () => {
    expect(sources("# Title\nintro\n\nsecond\n\n\n> quote")).toEqual([
      "# Title\nintro",
      "second",
      "> quote",
    ]);
  });

  it("keeps a loose list, its indented paragraphs and nested code together", () => {
    const list =
      "1. step\n\n   more about it\n\n   ```sh\n   npm i\n\n   npm test\n   ```\n\n2. next";
    expect(sources(`${list}\n\nAfter.`)).toEqual([list, "After."]);
  });

  it("keeps blank lines and margin text inside a fence, and isolates the fence", () => {
    const fence = "```ts\nconst a = 1;\n\nexport { a }\n```";
    const blocks = splitBlocks(`Before:\n${fence}\nAfter.`);
    expect(blocks.map((block) => block.source)).toEqual(["Before:", fence, "After."]);
    expect(blocks[1]?.fence).toEqual({
      lang: "ts",
      code: "const a = 1;\n\nexport { a }",
      closed: true,
    });
  });

  it("marks a fence still open at the end as not closed", () => {
    expect(splitBlocks("~~~\nline 1\n")[0]?.fence).toEqual({
      lang: null,
      code: "line 1",
      closed: false,
    });
  });

  it("gives every prefix of a reply the same blocks but the last (what memoization needs)", () => {
    const reply =
      "# Plan\n\nFirst **do** this:\n\n- a\n- b\n\n  more\n\n```js\nlet x;\n\nx = 1;\n```\n\n| a |\n|---|\n| 1 |\n\nDone.";
    const final = sources(reply);
    for (let end = 1; end <= reply.length; end++) {
      const partial = sources(reply.slice(0, end));
      expect(partial.slice(0, -1)).toEqual(final.slice(0, partial.length - 1));
    }
  });
});
