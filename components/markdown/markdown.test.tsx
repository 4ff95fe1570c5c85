import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

interface Tag {
  name: string;
  attributes: string[];
}

/** Every element in rendered HTML. Text is escaped there, so each `<` opens a real tag. */
function tagsOf(html: string): Tag[] {
  return [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)].map(([, name = "", rest = ""]) => ({
    name: name.toLowerCase(),
    attributes: [...rest.matchAll(/\s([^\s=/>]+)(?:="[^"]*")?/g)].map(([, attribute = ""]) =>
      attribute.toLowerCase(),
    ),
  }));
}

function links(html: string): { href: string | undefined; tag: string }[] {
  return [...html.matchAll(/<a\b[^>]*>/g)].map(([tag]) => ({
    href: /\shref="([^"]*)"/.exec(tag)?.[1],
    tag,
  }));
}

describe("Markdown: no markup from the text", () => {
  const hostile = [
    "<script>alert(1)</script>",
    "Inline <script>alert(1)</script> script",
    "<img src=x onerror=alert(1)>",
    "Text <img src=x onerror=alert(1)> inline",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<div onclick="alert(1)" style="position:fixed">x</div>',
    '<a href="javascript:alert(1)">x</a>',
    "<svg><script>alert(1)</script></svg>",
    "- <details open ontoggle=alert(1)>",
    "> <object data=x>",
  ];

  it.each(hostile)("renders %j as visible text, never as elements", (text) => {
    const html = render(text);
    for (const tag of tagsOf(html)) {
      expect(["script", "img", "iframe", "style", "object", "svg", "details"]).not.toContain(
        tag.name,
      );
      expect(tag.attributes.filter((name) => name.startsWith("on"))).toEqual([]);
      expect(tag.attributes).not.toContain("style");
      expect(tag.attributes).not.toContain("src");
    }
    // The characters are still there, as text.
    expect(html).toContain("&lt;");
  });
});

describe("Markdown: links", () => {
  it("links http(s) targets in a new tab with rel=noopener noreferrer nofollow", () => {
    const html = render("[docs](https://example.com/a?b=1) and https://bare.example/x");
    const found = links(html);
    expect(found.map((link) => link.href)).toEqual([
      "https://example.com/a?b=1",
      "https://bare.example/x",
    ]);
    for (const link of found) {
      expect(link.tag).toContain('target="_blank"');
      expect(link.tag).toContain('rel="noopener noreferrer nofollow"');
    }
  });

  it.each([
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox)",
    "<javascript:alert(1)>",
    "[x](/relative/path)",
    "[x](//evil.example)",
    "[x](mailto:a@b.example)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
  ])("keeps only the text of %j", (text) => {
    const html = render(text);
    expect(links(html)).toEqual([]);
    expect(html).not.toMatch(/javascript|vbscript|data:/i.test(text) ? /href=/ : /<a\b/);
  });

  it("shows images as links to them, never loading them", () => {
    const html = render(
      "![cat](https://img.example/cat.png) ![](https://img.example/dog.png) ![x](javascript:alert(1))",
    );
    expect(tagsOf(html).map((tag) => tag.name)).not.toContain("img");
    expect(links(html).map((link) => link.href)).toEqual([
      "https://img.example/cat.png",
      "https://img.example/dog.png",
    ]);
    expect(html).toContain(">cat</a>");
    expect(html).toContain(">https://img.example/dog.png</a>");
  });
});

describe("Markdown: formatting", () => {
  it("renders GFM tables with alignment, strikethrough and task lists", () => {
    const html = render("| a | b |\n|:--|--:|\n| 1 | ~~gone~~ |\n\n- [x] done\n- [ ] todo");
    expect(html).toContain("<table");
    expect(html).toMatch(/<th[^>]*style="text-align:left"[^>]*>a<\/th>/);
    expect(html).toMatch(/<td[^>]*style="text-align:right"[^>]*><del[^>]*>gone<\/del><\/td>/);
    const boxes = tagsOf(html).filter((tag) => tag.name === "input");
    expect(boxes.map((box) => box.attributes.includes("checked"))).toEqual([true, false]);
    expect(boxes.every((box) => box.attributes.includes("disabled"))).toBe(true);
  });

  it("renders headings, emphasis, quotes, lists and inline code", () => {
    const html = render("## Title\n\n**bold** *it* `a<b`\n\n> quoted\n\n1. one\n2. two");
    expect(html).toMatch(/<h2[^>]*>Title<\/h2>/);
    expect(html).toMatch(/<strong[^>]*>bold<\/strong> <em>it<\/em> <code>a&lt;b<\/code>/);
    expect(html).toMatch(/<blockquote[^>]*>\s*<p[^>]*>quoted<\/p>/);
    expect(html).toMatch(/<ol[^>]*>\s*<li[^>]*>one<\/li>\s*<li[^>]*>two<\/li>\s*<\/ol>/);
  });

  it("highlights fenced code and offers to copy it once the fence is closed", () => {
    const html = render("```ts\nconst a = 1; // <b>note</b>\n```");
    expect(html).toContain('<code class="hljs language-ts">');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain('<span class="hljs-comment">// &lt;b&gt;note&lt;/b&gt;</span>');
    expect(html).toContain('aria-label="Copy code"');
  });

  it("shows a fence still streaming as code without a copy button", () => {
    const html = render("Look:\n\n```python\nprint(1)");
    expect(html).toContain('<code class="hljs language-python">');
    expect(html).not.toContain("Copy code");
  });

  it("shows code in an unknown language as plain code", () => {
    const html = render("```nosuchlanguage\nx <y>\n```");
    expect(html).toContain("x &lt;y&gt;");
    expect(html).toContain('aria-label="Copy code"');
  });
});

describe("Markdown: pathological text", () => {
  it("shows a block too costly to parse as plain text", () => {
    const html = render(`Intro **bold**\n\n${"*a".repeat(50_000)}`);
    expect(html).toMatch(/<strong[^>]*>bold<\/strong>/);
    expect(html).toContain(`<p class="my-3 whitespace-pre-wrap first:mt-0 last:mb-0">*a*a*a`);
    expect(html).not.toContain("<em>");
  });

  it("cuts a flood of blank lines in plain text to one", () => {
    const html = render(`- a${"\n".repeat(16_000)}  b`);
    expect(html).not.toContain("\n\n\n");
    expect(html).toContain("- a\n\n  b");
  });
});
