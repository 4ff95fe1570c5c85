import { describe, expect, it } from "vitest";
import { BROWSER_BUDGET, planBlocks } from "./plan-blocks";

describe("planBlocks", () => {
  it("parses ordinary replies as Markdown, joining small blocks into fewer parses", () => {
    const planned = planBlocks("# Title\n\nSome *text*.\n\n- a\n- b\n\n```js\nlet a;\n```\n\nEnd.");
    expect(planned.map((block) => block.as)).toEqual(["markdown", "markdown", "markdown"]);
    expect(planned[0]?.source).toBe("# Title\n\nSome *text*.\n\n- a\n- b");
    expect(planned[1]?.fence?.code).toBe("let a;");
  });

  it.each([
    ["a delimiter flood", "*a".repeat(5_000)],
    ["deep quotes", ">".repeat(10_000)],
    ["deep lists", "- ".repeat(5_000)],
    ["a list item full of blank lines", `- a${"\n".repeat(16_000)}  b`],
    ["a long block", "word ".repeat(2_000)],
  ])("shows %s as plain text", (_, text) => {
    expect(planBlocks(text).map((block) => block.as)).toEqual(["plain"]);
  });

  it("stops parsing once a reply has spent its budget, and stays stable while it grows", () => {
    const paragraph = `${"Some **bold** words and `code`. ".repeat(20)}`;
    const text = Array.from({ length: 60 }, () => paragraph).join("\n\n");
    const planned = planBlocks(text);
    expect(planned[0]?.as).toBe("markdown");
    expect(planned.at(-1)?.as).toBe("plain");
    // Adding text never changes how the earlier blocks are shown.
    const longer = planBlocks(`${text}\n\nmore`);
    expect(longer.slice(0, planned.length - 1)).toEqual(planned.slice(0, -1));
  });

  it("gives every prefix of a reply the same plan but for its last block", () => {
    const reply = [
      "# Plan",
      `First **do** this, ${"with care ".repeat(40)}:`,
      "- a\n- b\n\n  more",
      "```js\nlet x;\n\nx = 1;\n```",
      "| a |\n|---|\n| 1 |",
      `${"*a".repeat(400)}`,
      "Done.",
    ].join("\n\n");
    const final = planBlocks(reply);
    for (let end = 1; end <= reply.length; end += 7) {
      const partial = planBlocks(reply.slice(0, end));
      expect(partial.slice(0, -1)).toEqual(final.slice(0, partial.length - 1));
    }
  });

  it("does not take a long number at the start of a line for nesting", () => {
    expect(planBlocks(`${"1234567890".repeat(10)} is a long number`)[0]?.as).toBe("markdown");
  });

  it("formats more of a long reply under the browser's budget", () => {
    const paragraph = `${"Some **bold** words and `code`. ".repeat(20)}`;
    const text = Array.from({ length: 60 }, () => paragraph).join("\n\n");
    const formatted = (budget?: typeof BROWSER_BUDGET) =>
      planBlocks(text, budget)
        .filter((block) => block.as === "markdown")
        .reduce((chars, block) => chars + block.source.length, 0);
    expect(formatted(BROWSER_BUDGET)).toBeGreaterThan(3 * formatted());
  });

  it("shows code past the highlighting budget as a plain code block", () => {
    const code = `\`\`\`ts\n${"const a = 1;\n".repeat(3_000)}\`\`\``;
    expect(planBlocks(code)).toMatchObject([{ as: "code", fence: { lang: "ts", closed: true } }]);
  });
});
