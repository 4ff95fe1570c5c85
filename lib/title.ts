const TITLE_CHARS = 60;

/** A conversation title from its first message: the opening words, whitespace collapsed. */
export function titleFromMessage(content: string): string {
  const text = content.replace(/\s+/g, " ").trim();
  // Counted in code points: cutting between the two halves of an emoji would leave a lone
  // surrogate, which no database can store as text.
  const characters = Array.from(text);
  if (characters.length <= TITLE_CHARS) return text;
  const cut = characters.slice(0, TITLE_CHARS).join("");
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > TITLE_CHARS / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
