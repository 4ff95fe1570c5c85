// Cuts a reply into top-level blocks in one linear pass, so each block can be parsed and
// memoized on its own: while a reply streams in, only its last block changes. The cut is
// conservative — a boundary is only placed where CommonMark would end a block anyway — so
// parsing the blocks one by one renders like parsing the whole text. (marked's lexer, the usual
// tool for this, overflows the stack on deep nesting and is quadratic on some inputs.)

export interface SourceBlock {
  source: string;
  /** A fenced code block that starts at the left margin, alone in its block. */
  fence?: { lang: string | null; code: string; closed: boolean };
}

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})([^\n]*)$/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)/;

const isBlank = (line: string) => line.trim() === "";

interface OpenFence {
  marker: string;
  /** Alone in its block: the block ends where the fence closes. */
  isolated: boolean;
  lang: string | null;
}

function opensFence(line: string): { indent: string; marker: string; info: string } | null {
  const match = FENCE_OPEN.exec(line);
  if (!match) return null;
  const [, indent = "", marker = "", info = ""] = match;
  // A backtick fence's info string may not hold a backtick (that is inline code instead).
  if (marker.startsWith("`") && info.includes("`")) return null;
  return { indent, marker, info };
}

function closesFence(line: string, marker: string): boolean {
  const trimmed = line.trim();
  return (
    trimmed.length >= marker.length &&
    trimmed === (marker[0] as string).repeat(trimmed.length) &&
    line.length - line.trimStart().length < 4
  );
}

export function splitBlocks(text: string): SourceBlock[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const blocks: SourceBlock[] = [];
  let current: string[] = [];
  let currentIsList = false;
  let previousBlank = false;
  let fence: OpenFence | null = null;

  const flush = (closedFence?: OpenFence) => {
    // Trailing blank lines are dropped so a block's source does not change when the next
    // block starts arriving.
    while (current.length && isBlank(current.at(-1) as string)) current.pop();
    if (current.length) {
      const source = current.join("\n");
      const isolated = closedFence ?? (fence?.isolated ? fence : undefined);
      blocks.push(
        isolated
          ? {
              source,
              fence: {
                lang: isolated.lang,
                code: current.slice(1, closedFence ? -1 : undefined).join("\n"),
                closed: closedFence !== undefined,
              },
            }
          : { source },
      );
    }
    current = [];
    currentIsList = false;
    previousBlank = false;
  };

  for (const line of lines) {
    if (fence) {
      current.push(line);
      if (closesFence(line, fence.marker)) {
        const closed = fence;
        fence = null;
        if (closed.isolated) flush(closed);
      }
      continue;
    }

    const open = opensFence(line);
    if (open) {
      // At the left margin a fence ends any paragraph or list before it, so it can stand
      // alone; an indented one belongs to the list item around it.
      const isolated = open.indent === "";
      if (isolated) flush();
      fence = {
        marker: open.marker,
        isolated,
        lang: open.info.trim().split(/\s+/)[0] || null,
      };
      current.push(line);
      previousBlank = false;
      continue;
    }

    if (isBlank(line)) {
      if (current.length) current.push(line);
      previousBlank = current.length > 0;
      continue;
    }

    // After a blank line, text at the left margin starts a new block — unless it is the
    // next item of a list (a loose list is still one list).
    const startsAtMargin = !/^[ \t]/.test(line);
    const isListItem = LIST_ITEM.test(line);
    if (previousBlank && startsAtMargin && !(currentIsList && isListItem)) flush();
    if (!current.length) currentIsList = isListItem;
    current.push(line);
    previousBlank = false;
  }
  flush();
  return blocks;
}
