import { type Inline, parseInline } from "./inline";

// Block-level Markdown: fences, headings, lists, quotes, tables, rules and paragraphs. A pure
// function from text to a tree, so it is tested without a DOM and re-run as a reply streams in.

export type Align = "left" | "center" | "right" | null;

export type Block =
  | { type: "paragraph"; children: Inline[] }
  | { type: "heading"; level: 1 | 2 | 3 | 4 | 5 | 6; children: Inline[] }
  /** `closed` is false while a streaming reply is still inside the fence. */
  | { type: "code"; lang: string | null; text: string; closed: boolean }
  | { type: "list"; ordered: boolean; start: number; tight: boolean; items: Block[][] }
  | { type: "blockquote"; children: Block[] }
  | { type: "table"; align: Align[]; header: Inline[][]; rows: Inline[][][] }
  | { type: "hr" };

const MAX_DEPTH = 8;

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const ITEM = /^( {0,3})([-*+]|\d{1,9}[.)])([ \t]+(.*))?$/;
const TABLE_DIVIDER = /^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$/;

const isBlank = (line: string) => line.trim() === "";

function indentOf(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === " ") width += 1;
    else if (char === "\t") width += 4 - (width % 4);
    else break;
  }
  return width;
}

/** Removes up to `width` columns of leading indentation. */
function dedent(line: string, width: number): string {
  let column = 0;
  let index = 0;
  while (index < line.length && column < width) {
    const char = line[index];
    if (char === " ") column += 1;
    else if (char === "\t") column += 4 - (column % 4);
    else break;
    index += 1;
  }
  return line.slice(index);
}

function splitRow(line: string): string[] {
  let row = line.trim();
  if (row.startsWith("|")) row = row.slice(1);
  if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
  const cells: string[] = [];
  let cell = "";
  let inCode = false;
  for (let i = 0; i < row.length; i++) {
    const char = row[i];
    if (char === "\\" && row[i + 1] === "|") {
      cell += "|";
      i += 1;
    } else if (char === "`") {
      inCode = !inCode;
      cell += char;
    } else if (char === "|" && !inCode) {
      cells.push(cell.trim());
      cell = "";
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}

function alignOf(cell: string): Align {
  const left = cell.startsWith(":");
  const right = cell.endsWith(":");
  if (left && right) return "center";
  if (right) return "right";
  if (left) return "left";
  return null;
}

function startsBlock(line: string): boolean {
  return (
    FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line)
  );
}

class BlockParser {
  private index = 0;

  constructor(
    private readonly lines: string[],
    private readonly depth: number,
  ) {}

  parse(): Block[] {
    const blocks: Block[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string;
      if (isBlank(line)) {
        this.index += 1;
        continue;
      }
      blocks.push(this.block(line));
    }
    return blocks;
  }

  private block(line: string): Block {
    const fence = FENCE.exec(line);
    if (fence && !(fence[2]?.startsWith("`") && fence[3]?.includes("`"))) {
      return this.code(fence);
    }
    const heading = HEADING.exec(line);
    if (heading) {
      this.index += 1;
      const level = (heading[1]?.length ?? 1) as 1 | 2 | 3 | 4 | 5 | 6;
      return { type: "heading", level, children: parseInline(heading[2] ?? "") };
    }
    if (RULE.test(line)) {
      this.index += 1;
      return { type: "hr" };
    }
    if (QUOTE.test(line) && this.depth < MAX_DEPTH) return this.quote();
    const item = ITEM.exec(line);
    if (item && this.depth < MAX_DEPTH) return this.list(item);
    const table = this.table();
    if (table) return table;
    return this.paragraph();
  }

  private code(fence: RegExpExecArray): Block {
    const indent = fence[1]?.length ?? 0;
    const marker = fence[2] as string;
    const lang = fence[3]?.trim().split(/\s+/)[0] || null;
    const body: string[] = [];
    this.index += 1;
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string;
      this.index += 1;
      const trimmed = line.trim();
      if (
        indentOf(line) < 4 &&
        trimmed.startsWith(marker[0]?.repeat(marker.length) ?? marker) &&
        /^(`+|~+)$/.test(trimmed) &&
        trimmed[0] === marker[0]
      ) {
        return { type: "code", lang, text: body.join("\n"), closed: true };
      }
      body.push(dedent(line, indent));
    }
    return { type: "code", lang, text: body.join("\n"), closed: false };
  }

  private quote(): Block {
    const inner: string[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string;
      const match = QUOTE.exec(line);
      if (match) inner.push(match[1] ?? "");
      // A lazy continuation line carries on the quoted paragraph.
      else if (
        !isBlank(line) &&
        inner.length &&
        !isBlank(inner.at(-1) ?? "") &&
        !startsBlock(line)
      ) {
        inner.push(line);
      } else break;
      this.index += 1;
    }
    return { type: "blockquote", children: new BlockParser(inner, this.depth + 1).parse() };
  }

  private nextNonBlank(from: number): number {
    let index = from;
    while (index < this.lines.length && isBlank(this.lines[index] as string)) index += 1;
    return index;
  }

  private list(first: RegExpExecArray): Block {
    const ordered = /\d/.test(first[2] ?? "");
    const bullet = first[2]?.at(-1);
    const start = ordered ? Number.parseInt(first[2] ?? "1", 10) : 1;
    const sameKind = (line: string | undefined) => {
      const match = line === undefined ? null : ITEM.exec(line);
      if (!match || RULE.test(line ?? "")) return null;
      return /\d/.test(match[2] ?? "") === ordered && match[2]?.at(-1) === bullet ? match : null;
    };
    const items: string[][] = [];
    let tight = true;

    for (;;) {
      const match = sameKind(this.lines[this.index]);
      if (!match) break;
      const markerWidth = (match[1]?.length ?? 0) + (match[2]?.length ?? 0);
      const gap = match[3] ? indentOf(match[3]) : 1;
      const contentIndent = markerWidth + (gap > 4 ? 1 : Math.max(gap, 1));
      const item: string[] = [match[4] ?? ""];
      this.index += 1;

      while (this.index < this.lines.length) {
        const next = this.lines[this.index] as string;
        if (isBlank(next)) {
          // A blank line belongs to the item only when the item goes on after it.
          const following = this.lines[this.nextNonBlank(this.index)];
          if (following === undefined || indentOf(following) < contentIndent) break;
          item.push("");
          tight = false;
          this.index += 1;
        } else if (indentOf(next) >= contentIndent) {
          item.push(dedent(next, contentIndent));
          this.index += 1;
        } else if (!isBlank(item.at(-1) ?? "") && !startsBlock(next)) {
          // A lazy continuation line of the item's paragraph.
          item.push(next.trim());
          this.index += 1;
        } else break;
      }
      items.push(item);

      const after = this.nextNonBlank(this.index);
      if (after > this.index) {
        // Blank lines between items make the list loose; anything else ends it.
        if (!sameKind(this.lines[after])) break;
        tight = false;
        this.index = after;
      }
    }
    return {
      type: "list",
      ordered,
      start,
      tight,
      items: items.map((lines) => new BlockParser(lines, this.depth + 1).parse()),
    };
  }

  private table(): Block | null {
    const headerLine = this.lines[this.index] as string;
    const divider = this.lines[this.index + 1];
    if (!headerLine.includes("|") || divider === undefined || !TABLE_DIVIDER.test(divider)) {
      return null;
    }
    if (!divider.includes("|") && !divider.includes("-")) return null;
    const header = splitRow(headerLine);
    const aligns = splitRow(divider);
    if (header.length !== aligns.length) return null;
    this.index += 2;
    const rows: Inline[][][] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string;
      if (isBlank(line) || !line.includes("|") || startsBlock(line)) break;
      const cells = splitRow(line);
      rows.push(header.map((_, column) => parseInline(cells[column] ?? "")));
      this.index += 1;
    }
    return {
      type: "table",
      align: aligns.map(alignOf),
      header: header.map((cell) => parseInline(cell)),
      rows,
    };
  }

  private paragraph(): Block {
    const lines: string[] = [];
    while (this.index < this.lines.length) {
      const line = this.lines[this.index] as string;
      if (isBlank(line)) break;
      if (lines.length && startsBlock(line)) break;
      lines.push(lines.length ? line.trimStart() : line.trim());
      this.index += 1;
    }
    return { type: "paragraph", children: parseInline(lines.join("\n").trimEnd()) };
  }
}

export function parseBlocks(text: string, depth = 0): Block[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  return new BlockParser(lines, depth).parse();
}
