import { cutText } from "./text-length";

const TITLE_CHARS = 60;

/** A conversation title from its first message: the opening words, whitespace collapsed. */
export function titleFromMessage(content: string): string {
  const text = content.replace(/\s+/g, " ").trim();
  // In UTF-16 units like every limit, cut between whole characters (half an emoji is not
  // storable text), without copying the message into an array of characters.
  if (text.length <= TITLE_CHARS) return text;
  const cut = cutText(text, TITLE_CHARS);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > TITLE_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
