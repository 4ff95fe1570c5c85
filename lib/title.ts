const TITLE_CHARS = 60;

/** A conversation title from its first message: the opening words, whitespace collapsed. */
export function titleFromMessage(content: string): string {
  const text = content.replace(/\s+/g, " ").trim();
  if (text.length <= TITLE_CHARS) return text;
  const cut = text.slice(0, TITLE_CHARS);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > TITLE_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
