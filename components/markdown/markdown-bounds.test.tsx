import { createElement } from "react";
import { beforeAll, describe, expect, it, vi } from "vitest";

// A safety bound, not a speed claim: a stored reply is rendered on the server for every page
// load, so no text may make that render stall. Each input is rendered whole (block split,
// planning, parsing, highlighting) as the server does.

const BOUND_MS = 200;
const rep = (unit: string, length: number) =>
  unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
const CAP = 100_000;

const worst: [string, string][] = [
  ["16,000 blank lines in a list item", `- a${"\n".repeat(16_000)}  b`],
  ["100,000 blank lines in a list item", `- a${"\n".repeat(CAP)}  b`],
  ["10,000 nested quotes", ">".repeat(10_000)],
  ["10,000 nested quotes with spaces", "> ".repeat(10_000)],
  ["5,000 nested list markers on a line", `${"- ".repeat(5_000)}x`],
  [
    "a list nested 5,000 levels by indentation",
    Array.from({ length: 300 }, (_, depth) => `${" ".repeat(depth * 2)}- x`).join("\n"),
  ],
  ...["*", "_", "[", "`", "~", "<", "!", "|", "#", "=", ">", "&", "\\"].map(
    (char): [string, string] => [`${CAP} × ${char}`, char.repeat(CAP)],
  ),
  ...["*a", "_a", "~a", "**a", "~~a", "[a", "![a", "[a](", "`a", "<a", "&a", "*a _b `c [d "].map(
    (unit): [string, string] => [`${CAP} chars of ${JSON.stringify(unit)}`, rep(unit, CAP)],
  ),
  ["50,000 [ then 50,000 ]", `${"[".repeat(CAP / 2)}${"]".repeat(CAP / 2)}`],
  ["setext headings", rep("a\n=\n", CAP)],
  ["setext headings in small blocks", rep(`${"a\n=\n".repeat(37)}\n`, CAP)],
  ["a 20,000-row table", `|a|b|\n|-|-|\n${rep("|x|y|\n", CAP)}`],
  ["a table 25,000 columns wide", `${rep("|a", CAP / 2)}\n${rep("|-", CAP / 2)}`],
  ["link reference definitions", rep("[a]: b\n", CAP)],
  ["bare URLs", rep("www.a.b/", CAP)],
  ["delimiters in many small blocks", rep("*a*a*a*a*a ~a~a~a~a [a [a [a\n\n", CAP)],
  ["almost-too-many delimiters per block", rep(`${"*a".repeat(140)}\n\n`, CAP)],
  [
    "dense ordinary Markdown",
    rep(
      "Some **bold** text with `code` and a [link](https://a.example) here.\n\n- one\n- two\n\n",
      CAP,
    ),
  ],
  ["one huge code block", `\`\`\`ts\n${rep("const a = { b: [1, 'x'] }; // c\n", CAP)}\n\`\`\``],
  ["many small code blocks", rep("```ts\nconst a = { b: [1, 'x'] }; // c\n```\n\n", CAP)],
  ["an open fence of 100,000 backticks", "`".repeat(CAP)],
];

/** CPU time of the best of five renders, after a warm-up render. */
function cpuMillis(render: () => string): number {
  render();
  // CPU time of this process: waiting for a core shared with other jobs is not the renderer's
  // cost. The best of five drops what a collector pause adds to one run.
  const times = [0, 1, 2, 3, 4].map(() => {
    const started = process.cpuUsage();
    const html = render();
    const used = process.cpuUsage(started);
    expect(html.length).toBeGreaterThan(0);
    return (used.user + used.system) / 1_000;
  });
  return Math.min(...times);
}

// The bound is on CPU time; the wall-clock timeout only has to survive a machine busy with
// other test files (six renders of up to the bound each, plus waiting for a core).
describe("rendering stays bounded on hostile text", { timeout: 60_000 }, () => {
  let renderToStaticMarkup: typeof import("react-dom/server").renderToStaticMarkup;
  let markdown: typeof import("./markdown");
  let plan: typeof import("./plan-blocks");

  beforeAll(async () => {
    // The server runs React's production build; the development build adds checks to every
    // element that would be measured instead of the renderer.
    vi.stubEnv("NODE_ENV", "production");
    ({ renderToStaticMarkup } = await import("react-dom/server"));
    markdown = await import("./markdown");
    plan = await import("./plan-blocks");
  });

  it.each(worst)(`renders %s on the server in under ${BOUND_MS} ms`, (_, text) => {
    const took = cpuMillis(() => renderToStaticMarkup(createElement(markdown.Markdown, { text })));
    expect(took).toBeLessThan(BOUND_MS);
  });

  // The browser's budget is four times the server's, and so is its bound: a hostile reply may
  // not freeze the reader's tab either.
  it.each(worst)(`renders %s in the browser in under ${4 * BOUND_MS} ms`, (_, text) => {
    const took = cpuMillis(() =>
      renderToStaticMarkup(
        createElement(markdown.MarkdownBlocks, { text, budget: plan.BROWSER_BUDGET }),
      ),
    );
    expect(took).toBeLessThan(4 * BOUND_MS);
  });
});
