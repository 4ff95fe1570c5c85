import { describe, expect, it } from "vitest";
import { type Block, type Inline, parseInline, parseMarkdown, safeHref } from "./parse";

const text = (value: string): Inline => ({ type: "text", text: value });

/** The visible text of inline nodes, for compact assertions. */
function plain(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      if (node.type === "text" || node.type === "code") return node.text;
      if (node.type === "break") return "\n";
      return plain(node.children);
    })
    .join("");
}

describe("safeHref", () => {
  it("accepts absolute http and https URLs", () => {
    expect(safeHref("https://example.com/a?b=1#c")).toBe("https://example.com/a?b=1#c");
    expect(safeHref("HTTP://Example.com")).toBe("http://example.com/");
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox",
    "/relative/path",
    "//evil.example",
    "mailto:a@b.c",
    "https://exa mple.com",
    "https://",
    "",
  ])("refuses %j", (value) => {
    expect(safeHref(value)).toBeNull();
  });
});

describe("parseInline", () => {
  it("keeps markup-looking text as plain text", () => {
    expect(parseInline("<script>alert(1)</script> & <b>x</b>")).toEqual([
      text("<script>alert(1)</script> & <b>x</b>"),
    ]);
  });

  it("parses bold, italic, strikethrough and code", () => {
    expect(parseInline("**bold** *it* _it2_ ~~gone~~ `a*b*c`")).toEqual([
      { type: "strong", children: [text("bold")] },
      text(" "),
      { type: "em", children: [text("it")] },
      text(" "),
      { type: "em", children: [text("it2")] },
      text(" "),
      { type: "del", children: [text("gone")] },
      text(" "),
      { type: "code", text: "a*b*c" },
    ]);
  });

  it("nests ***both*** as strong around em", () => {
    expect(parseInline("***both***")).toEqual([
      { type: "strong", children: [{ type: "em", children: [text("both")] }] },
    ]);
  });

  it("leaves snake_case, lone stars and unclosed markers alone", () => {
    expect(parseInline("snake_case_name and 2 * 3 * 4 and **open")).toEqual([
      text("snake_case_name and 2 * 3 * 4 and **open"),
    ]);
  });

  it("honours backslash escapes", () => {
    expect(parseInline("\\*not em\\* \\`tick\\`")).toEqual([text("*not em* `tick`")]);
  });

  it("uses double backticks to quote a backtick", () => {
    expect(parseInline("``a ` b``")).toEqual([{ type: "code", text: "a ` b" }]);
  });

  it("turns single newlines into line breaks", () => {
    expect(parseInline("one  \ntwo")).toEqual([text("one"), { type: "break" }, text("two")]);
  });

  it("links http(s) targets and keeps only the text of unsafe ones", () => {
    expect(parseInline("[docs](https://example.com/x) and [bad](javascript:alert(1))")).toEqual([
      { type: "link", href: "https://example.com/x", children: [text("docs")] },
      text(" and "),
      text("bad"),
    ]);
  });

  it("formats link text but never nests links", () => {
    expect(parseInline("[**a** https://b.example](https://c.example)")).toEqual([
      {
        type: "link",
        href: "https://c.example/",
        children: [{ type: "strong", children: [text("a")] }, text(" https://b.example")],
      },
    ]);
  });

  it("links bare and angle-bracket URLs, leaving trailing punctuation out", () => {
    expect(parseInline("See https://example.com/a_(b). Or <https://x.example>!")).toEqual([
      text("See "),
      {
        type: "link",
        href: "https://example.com/a_(b)",
        children: [text("https://example.com/a_(b)")],
      },
      text(". Or "),
      { type: "link", href: "https://x.example/", children: [text("https://x.example")] },
      text("!"),
    ]);
  });

  it("turns images into links instead of loading them", () => {
    expect(parseInline("![cat](https://img.example/cat.png)")).toEqual([
      { type: "link", href: "https://img.example/cat.png", children: [text("cat")] },
    ]);
  });

  it("stays fast on pathological input", () => {
    const started = performance.now();
    parseInline("*a _b `c [d ".repeat(5_000));
    parseInline("**".repeat(20_000));
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("parseMarkdown", () => {
  it("splits paragraphs on blank lines", () => {
    const blocks = parseMarkdown("First line\nsecond line\n\nNext paragraph");
    expect(blocks.map((block) => block.type)).toEqual(["paragraph", "paragraph"]);
    expect(plain((blocks[0] as Extract<Block, { type: "paragraph" }>).children)).toBe(
      "First line\nsecond line",
    );
  });

  it("parses headings", () => {
    expect(parseMarkdown("## Title ##\n#not a heading")).toEqual([
      { type: "heading", level: 2, children: [text("Title")] },
      { type: "paragraph", children: [text("#not a heading")] },
    ]);
  });

  it("keeps fenced code verbatim, with its language", () => {
    const source = "```ts\nconst a = <T,>(x: T) => x; // **not bold**\n\n  <script>\n```\nafter";
    expect(parseMarkdown(source)).toEqual([
      {
        type: "code",
        lang: "ts",
        text: "const a = <T,>(x: T) => x; // **not bold**\n\n  <script>",
        closed: true,
      },
      { type: "paragraph", children: [text("after")] },
    ]);
  });

  it("shows an unterminated fence (a reply still streaming) as code", () => {
    expect(parseMarkdown("Look:\n~~~\nline 1")).toEqual([
      { type: "paragraph", children: [text("Look:")] },
      { type: "code", lang: null, text: "line 1", closed: false },
    ]);
  });

  it("parses tight bullet and ordered lists", () => {
    const [bullets, numbers] = parseMarkdown("- one\n- **two**\n\n3. three\n4. four");
    expect(bullets).toMatchObject({ type: "list", ordered: false, tight: true });
    expect((bullets as Extract<Block, { type: "list" }>).items).toEqual([
      [{ type: "paragraph", children: [text("one")] }],
      [{ type: "paragraph", children: [{ type: "strong", children: [text("two")] }] }],
    ]);
    expect(numbers).toMatchObject({ type: "list", ordered: true, start: 3, tight: true });
  });

  it("nests lists by indentation and keeps code inside items", () => {
    const [list] = parseMarkdown("1. step\n   - detail\n   ```\n   code\n   ```\n2. next");
    const items = (list as Extract<Block, { type: "list" }>).items;
    expect(items).toHaveLength(2);
    expect(items[0]?.map((block) => block.type)).toEqual(["paragraph", "list", "code"]);
    expect(items[0]?.[2]).toMatchObject({ type: "code", text: "code" });
  });

  it("marks lists with blank lines between items as loose", () => {
    const [list] = parseMarkdown("- a\n\n- b");
    expect(list).toMatchObject({ type: "list", tight: false });
    expect((list as Extract<Block, { type: "list" }>).items).toHaveLength(2);
  });

  it("parses block quotes recursively", () => {
    expect(parseMarkdown("> quoted **text**\n> - item")).toEqual([
      {
        type: "blockquote",
        children: [
          {
            type: "paragraph",
            children: [text("quoted "), { type: "strong", children: [text("text")] }],
          },
          {
            type: "list",
            ordered: false,
            start: 1,
            tight: true,
            items: [[{ type: "paragraph", children: [text("item")] }]],
          },
        ],
      },
    ]);
  });

  it("parses tables with alignment and escaped pipes", () => {
    const [table] = parseMarkdown("| a | b |\n|:--|--:|\n| 1 | x \\| y |\n| 2 |");
    expect(table).toEqual({
      type: "table",
      align: ["left", "right"],
      header: [[text("a")], [text("b")]],
      rows: [
        [[text("1")], [text("x | y")]],
        [[text("2")], []],
      ],
    });
  });

  it("parses horizontal rules, not confusing them with list items", () => {
    expect(parseMarkdown("a\n\n---\n\n* * *").map((block) => block.type)).toEqual([
      "paragraph",
      "hr",
      "hr",
    ]);
  });

  it("returns nothing for blank input", () => {
    expect(parseMarkdown("  \n\n")).toEqual([]);
  });

  it("survives deep nesting", () => {
    expect(() => parseMarkdown(`${"> ".repeat(500)}deep`)).not.toThrow();
    expect(() => parseMarkdown(`${"- ".repeat(500)}deep`)).not.toThrow();
  });
});
