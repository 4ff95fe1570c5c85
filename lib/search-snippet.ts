// Shared by the browser and the server: no database or server-only imports here.

/**
 * Marks around matched words in `ts_headline`'s output. Private-use characters, removed from
 * the text before it is highlighted, so they can only come from the highlighter: the snippet is
 * parsed into plain text segments, and nothing in a message can pass for markup.
 */
export const MATCH_START = "\uE000";
export const MATCH_END = "\uE001";

export interface SnippetSegment {
  text: string;
  match: boolean;
}

/** Splits a highlighted snippet into plain and matched runs, dropping empty ones. */
export function snippetSegments(highlighted: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const push = (text: string, match: boolean) => {
    if (!text) return;
    const last = segments.at(-1);
    if (last && last.match === match) last.text += text;
    else segments.push({ text, match });
  };
  let rest = highlighted;
  while (rest) {
    const start = rest.indexOf(MATCH_START);
    if (start === -1) {
      push(rest.replaceAll(MATCH_END, ""), false);
      break;
    }
    push(rest.slice(0, start).replaceAll(MATCH_END, ""), false);
    rest = rest.slice(start + 1);
    const end = rest.indexOf(MATCH_END);
    const inside = end === -1 ? rest : rest.slice(0, end);
    push(inside.replaceAll(MATCH_START, ""), true);
    rest = end === -1 ? "" : rest.slice(end + 1);
  }
  return segments;
}
