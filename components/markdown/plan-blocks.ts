import { type SourceBlock, splitBlocks } from "./split-blocks";

// Markdown parsers are superlinear on hostile input: micromark (react-markdown's parser) takes
// seconds on a few thousand `*a`, `~a` or `a\n=\n`, and overflows the stack on deep nesting.
// A reply is rendered on the server for every page load, so the cost of parsing it must have a
// bound whatever the text. Each block is measured first, in linear time; only blocks whose cost
// is bounded are parsed as Markdown, and a reply spends from one budget. Everything else is
// shown as plain text — still readable, never markup. Ordinary blocks stay far below the
// per-block limits; the tail of a long reply past the server's budget is formatted by the
// browser once the page is live.

/** One block longer than this is not worth the risk of parsing it. */
const MAX_BLOCK_CHARS = 6_000;
const MAX_BLOCK_LINES = 150;
/** Delimiters (`*`, `_`, `[`…) in one block: the parser's superlinear steps pair these up. */
const MAX_BLOCK_MARKUP = 300;
/** Containers (`>`, list markers) opened on one line, and the indentation they reach. */
const MAX_LINE_NESTING = 10;
const MAX_LINE_PREFIX = 64;
/**
 * Small neighbouring blocks are parsed together up to this size: far fewer parses, and still
 * only the last part of a streaming reply is parsed again on every frame.
 */
const CHUNK_CHARS = 1_200;

/** What one reply may spend on parsing and highlighting. */
export interface ReplyBudget {
  markdownChars: number;
  lines: number;
  markup: number;
  codeChars: number;
  /** Each parse has a fixed cost (react-markdown sets up a processor), so they are counted. */
  parses: number;
}

/** The server renders every stored reply of a page for every visitor: a tight budget. */
export const SERVER_BUDGET: ReplyBudget = {
  markdownChars: 6_000,
  lines: 200,
  markup: 400,
  codeChars: 8_000,
  parses: 8,
};

/** A browser spends only its own reader's time, so it formats more once the page is live. */
export const BROWSER_BUDGET: ReplyBudget = {
  markdownChars: 24_000,
  lines: 800,
  markup: 1_600,
  codeChars: 32_000,
  parses: 32,
};

const MARKUP = new Set(["*", "_", "~", "[", "]", "<", ">", "!", "`", "|", "=", "#", "&", "\\"]);

export type PlannedBlock = SourceBlock & {
  /** `markdown`: parsed and highlighted; `code`: a code block shown as is; `plain`: text. */
  as: "markdown" | "code" | "plain";
};

interface Measure {
  lines: number;
  markup: number;
  /** The deepest nesting any one line opens. */
  nesting: number;
  prefix: number;
}

const ORDERED_MARKER = /\d{1,9}[.)]/y;

/** The container markers (`>`, list markers) and indentation a line starts with. */
function linePrefix(source: string, start: number): { nesting: number; length: number } {
  let index = start;
  let nesting = 0;
  for (;;) {
    const char = source[index];
    if (char === " " || char === "\t") {
      index += 1;
      continue;
    }
    if (char === ">") {
      index += 1;
      nesting += 1;
      continue;
    }
    if ((char === "-" || char === "*" || char === "+") && source[index + 1] === " ") {
      index += 2;
      nesting += 1;
      continue;
    }
    ORDERED_MARKER.lastIndex = index;
    if (ORDERED_MARKER.test(source)) {
      index = ORDERED_MARKER.lastIndex;
      nesting += 1;
      continue;
    }
    return { nesting, length: index - start };
  }
}

function measure(source: string): Measure {
  let lines = 0;
  let markup = 0;
  let nesting = 0;
  let prefix = 0;
  let lineStart = 0;
  while (lineStart <= source.length) {
    const lineEnd = source.indexOf("\n", lineStart);
    const end = lineEnd === -1 ? source.length : lineEnd;
    lines += 1;
    const line = linePrefix(source, lineStart);
    nesting = Math.max(nesting, line.nesting);
    prefix = Math.max(prefix, line.length);
    for (let index = lineStart; index < end; index++) {
      if (MARKUP.has(source[index] as string)) markup += 1;
    }
    lineStart = end + 1;
  }
  return { lines, markup, nesting, prefix };
}

interface Chunk {
  sources: string[];
  chars: number;
  lines: number;
  markup: number;
}

export function planBlocks(text: string, budget: ReplyBudget = SERVER_BUDGET): PlannedBlock[] {
  const planned: PlannedBlock[] = [];
  let parses = 0;
  let markdownChars = 0;
  let markup = 0;
  let lines = 0;
  let codeChars = 0;
  let chunk: Chunk | null = null;

  const closeChunk = () => {
    if (chunk) planned.push({ source: chunk.sources.join("\n\n"), as: "markdown" });
    chunk = null;
  };
  // Neighbouring plain blocks are shown as one: a flood of tiny blocks costs one element.
  const pushPlain = (source: string) => {
    closeChunk();
    const last = planned.at(-1);
    if (last?.as === "plain") last.source = `${last.source}\n\n${source}`;
    else planned.push({ source, as: "plain" });
  };

  for (const block of splitBlocks(text)) {
    if (block.fence) {
      closeChunk();
      // Code is not parsed inline, so its cost is the highlighter's: linear in its length.
      // Every code block costs an element tree, so it counts as a parse even unhighlighted.
      if (parses >= budget.parses) {
        pushPlain(block.source);
        continue;
      }
      parses += 1;
      const highlighted = codeChars + block.source.length <= budget.codeChars;
      if (highlighted) codeChars += block.source.length;
      planned.push({ ...block, as: highlighted ? "markdown" : "code" });
      continue;
    }

    const size = measure(block.source);
    const chars = block.source.length;
    const affordable =
      chars <= MAX_BLOCK_CHARS &&
      size.lines <= MAX_BLOCK_LINES &&
      size.markup <= MAX_BLOCK_MARKUP &&
      size.nesting <= MAX_LINE_NESTING &&
      size.prefix <= MAX_LINE_PREFIX &&
      markdownChars + chars <= budget.markdownChars &&
      markup + size.markup <= budget.markup &&
      lines + size.lines <= budget.lines;
    if (!affordable) {
      pushPlain(block.source);
      continue;
    }

    const current: Chunk | null = chunk;
    const joins =
      current !== null &&
      current.chars < CHUNK_CHARS &&
      current.chars + chars <= MAX_BLOCK_CHARS &&
      current.lines + size.lines <= MAX_BLOCK_LINES &&
      current.markup + size.markup <= MAX_BLOCK_MARKUP;
    if (current && joins) {
      current.sources.push(block.source);
      current.chars += chars + 2;
      current.lines += size.lines + 1;
      current.markup += size.markup;
    } else {
      closeChunk();
      if (parses >= budget.parses) {
        pushPlain(block.source);
        continue;
      }
      parses += 1;
      chunk = { sources: [block.source], chars, lines: size.lines, markup: size.markup };
    }
    markdownChars += chars;
    markup += size.markup;
    lines += size.lines;
  }
  closeChunk();
  return planned;
}
