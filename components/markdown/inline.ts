import { safeHref } from "./safe-href";

// Inline Markdown: the subset models actually write. The result is a tree of plain strings and
// nodes; React renders strings as text, so nothing in a message can become markup.

export type Inline =
  | { type: "text"; text: string }
  | { type: "strong"; children: Inline[] }
  | { type: "em"; children: Inline[] }
  | { type: "del"; children: Inline[] }
  | { type: "code"; text: string }
  | { type: "link"; href: string; children: Inline[] }
  | { type: "break" };

const MAX_DEPTH = 6;
const MAX_LABEL = 1_000;
const MAX_TARGET = 2_100;
const PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;
const BARE_URL = /^https?:\/\/[^\s<>"'`]+/i;

interface Delimiter {
  marker: string;
  type: "strong" | "em" | "del";
}

// Longest first, so `**` is tried before `*`.
const DELIMITERS: Delimiter[] = [
  { marker: "**", type: "strong" },
  { marker: "__", type: "strong" },
  { marker: "~~", type: "del" },
  { marker: "*", type: "em" },
  { marker: "_", type: "em" },
];

const isSpace = (char: string | undefined) => char === undefined || /\s/.test(char);

class InlineParser {
  private readonly nodes: Inline[] = [];
  private text = "";
  // Positions from which a search for a closer already failed: any later search fails too,
  // which keeps long runs of unmatched `*` or backticks linear instead of quadratic.
  private readonly noCloserFrom = new Map<string, number>();

  constructor(
    private readonly source: string,
    private readonly depth: number,
    // Inside a link's text: a link in a link is not valid HTML.
    private readonly inLink = false,
  ) {}

  parse(): Inline[] {
    const s = this.source;
    let i = 0;
    while (i < s.length) {
      const next = this.step(i);
      if (next > i) {
        i = next;
        continue;
      }
      this.text += s[i];
      i += 1;
    }
    this.flush();
    return this.nodes;
  }

  private flush() {
    if (this.text) this.nodes.push({ type: "text", text: this.text });
    this.text = "";
  }

  private push(node: Inline) {
    this.flush();
    this.nodes.push(node);
  }

  /** Tries every construct at `i`; returns the position after it, or `i` when none applies. */
  private step(i: number): number {
    const s = this.source;
    const char = s[i];
    if (char === "\\") {
      const escaped = s[i + 1];
      if (escaped === "\n") {
        this.push({ type: "break" });
        return i + 2;
      }
      if (escaped !== undefined && PUNCTUATION.test(escaped)) {
        this.text += escaped;
        return i + 2;
      }
      return i;
    }
    if (char === "\n") {
      // Trailing spaces before a line break carry no meaning in a chat message.
      this.text = this.text.replace(/[ \t]+$/, "");
      this.push({ type: "break" });
      let j = i + 1;
      while (s[j] === " " || s[j] === "\t") j += 1;
      return j;
    }
    if (char === "`") return this.codeSpan(i);
    if (!this.inLink) {
      if (char === "[" || (char === "!" && s[i + 1] === "[")) return this.link(i);
      if (char === "<") return this.angleLink(i);
      if (char === "h" || char === "H") return this.bareUrl(i);
    }
    if (char === "*" || char === "_" || char === "~") return this.emphasis(i);
    return i;
  }

  private codeSpan(i: number): number {
    const s = this.source;
    let run = 0;
    while (s[i + run] === "`") run += 1;
    const key = "`".repeat(run);
    const failedFrom = this.noCloserFrom.get(key);
    if (failedFrom !== undefined && failedFrom <= i) {
      this.text += key;
      return i + run;
    }
    let j = i + run;
    while (j < s.length) {
      const at = s.indexOf(key, j);
      if (at === -1) break;
      let closing = 0;
      while (s[at + closing] === "`") closing += 1;
      if (closing === run) {
        let code = s.slice(i + run, at).replace(/\n/g, " ");
        if (code.length > 2 && code.startsWith(" ") && code.endsWith(" ") && code.trim()) {
          code = code.slice(1, -1);
        }
        this.push({ type: "code", text: code });
        return at + run;
      }
      j = at + closing;
    }
    this.noCloserFrom.set(key, i);
    // No closer: the backticks are literal.
    this.text += key;
    return i + run;
  }

  private emphasis(i: number): number {
    const s = this.source;
    if (this.depth >= MAX_DEPTH) return i;
    for (const delimiter of DELIMITERS) {
      const { marker } = delimiter;
      if (!s.startsWith(marker, i)) continue;
      const start = i + marker.length;
      // An opener must be followed by text, and `_` must not sit inside a word (snake_case).
      if (isSpace(s[start])) continue;
      if (marker[0] === "_" && WORD_CHAR.test(s[i - 1] ?? "")) continue;
      const end = this.findCloser(marker, start);
      if (end === -1) continue;
      const children = new InlineParser(s.slice(start, end), this.depth + 1, this.inLink).parse();
      this.push({ type: delimiter.type, children } as Inline);
      return end + marker.length;
    }
    // Not emphasis: take the whole run of this character literally.
    let j = i;
    while (s[j] === s[i]) j += 1;
    this.text += s.slice(i, j);
    return j;
  }

  /** Where `marker` closes, searching from `from`; code spans are skipped. -1 when it does not. */
  private findCloser(marker: string, from: number): number {
    const s = this.source;
    const failedFrom = this.noCloserFrom.get(marker);
    if (failedFrom !== undefined && failedFrom <= from) return -1;
    const char = marker[0] as string;
    let j = from;
    while (j < s.length) {
      const c = s[j];
      if (c === "\\") {
        j += 2;
        continue;
      }
      if (c === "`") {
        let run = 0;
        while (s[j + run] === "`") run += 1;
        const close = s.indexOf("`".repeat(run), j + run);
        j = close === -1 ? j + run : close + run;
        continue;
      }
      if (c === char) {
        let run = 0;
        while (s[j + run] === char) run += 1;
        // Close at the end of a run, so `***both***` nests as strong(em(both)).
        const at = j + run - marker.length;
        const valid =
          run >= marker.length &&
          at > from &&
          !isSpace(s[at - 1]) &&
          !(char === "_" && WORD_CHAR.test(s[at + marker.length] ?? ""));
        if (valid) return at;
        j += run;
        continue;
      }
      j += 1;
    }
    this.noCloserFrom.set(marker, from);
    return -1;
  }

  private link(i: number): number {
    const s = this.source;
    const image = s[i] === "!";
    const open = image ? i + 1 : i;
    let depth = 0;
    let close = -1;
    // Link text and targets are short; bounding the search keeps `[[[[…` input linear.
    const limit = Math.min(s.length, open + MAX_LABEL);
    for (let j = open; j < limit; j++) {
      const c = s[j];
      if (c === "\\") j += 1;
      else if (c === "[") depth += 1;
      else if (c === "]") {
        depth -= 1;
        if (depth === 0) {
          close = j;
          break;
        }
      } else if (c === "\n" && s[j + 1] === "\n") break;
    }
    if (close === -1 || s[close + 1] !== "(") return i;
    let parens = 0;
    let end = -1;
    const targetLimit = Math.min(s.length, close + 2 + MAX_TARGET);
    for (let j = close + 2; j < targetLimit; j++) {
      const c = s[j];
      if (c === "\\") j += 1;
      else if (c === "(") parens += 1;
      else if (c === ")") {
        if (parens === 0) {
          end = j;
          break;
        }
        parens -= 1;
      } else if (c === "\n") break;
    }
    if (end === -1) return i;
    const target = s.slice(close + 2, end).trim();
    // An optional "title" after the address is dropped.
    const address = target.replace(/^<(.*)>$/, "$1").split(/\s+/)[0] ?? "";
    const label = s.slice(open + 1, close);
    const children =
      this.depth >= MAX_DEPTH
        ? [{ type: "text" as const, text: label }]
        : new InlineParser(label, this.depth + 1, true).parse();
    const href = safeHref(address);
    if (href) {
      // Images become links: loading remote images from a message would leak that it was read.
      this.push({
        type: "link",
        href,
        children: image && !label ? [{ type: "text", text: href }] : children,
      });
    } else {
      // An unsafe target (javascript:, data:, relative) keeps only its text.
      this.flush();
      this.nodes.push(...children);
    }
    return end + 1;
  }

  private angleLink(i: number): number {
    const s = this.source;
    const match = /^<(https?:\/\/[^\s<>]+)>/i.exec(s.slice(i, i + 2050));
    const href = match?.[1] ? safeHref(match[1]) : null;
    if (!match || !href) return i;
    this.push({ type: "link", href, children: [{ type: "text", text: match[1] as string }] });
    return i + match[0].length;
  }

  private bareUrl(i: number): number {
    const s = this.source;
    // Only at a word start: "xhttp://" is not a link.
    if (WORD_CHAR.test(s[i - 1] ?? "")) return i;
    const match = BARE_URL.exec(s.slice(i, i + 2048));
    if (!match) return i;
    let url = match[0];
    // Sentence punctuation after a URL is not part of it, nor an unbalanced closing paren.
    for (;;) {
      const last = url.at(-1);
      if (last && /[.,:;!?*_~]/.test(last)) url = url.slice(0, -1);
      else if (last === ")" && count(url, "(") < count(url, ")")) url = url.slice(0, -1);
      else break;
    }
    const href = safeHref(url);
    if (!href) return i;
    this.push({ type: "link", href, children: [{ type: "text", text: url }] });
    return i + url.length;
  }
}

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n += 1;
  return n;
}

export function parseInline(source: string): Inline[] {
  return new InlineParser(source, 0).parse();
}
