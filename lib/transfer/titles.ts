import { MAX_TITLE_CHARS } from "@/lib/validation";

/**
 * A title as an import stores it: whitespace collapsed, cut to the stored limit between
 * characters (never inside an emoji), absent when blank.
 */
export function importTitle(title: string | null | undefined): string | null {
  const text = storableText(title ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return null;
  const characters = Array.from(text);
  return characters.length <= MAX_TITLE_CHARS
    ? text
    : `${characters
        .slice(0, MAX_TITLE_CHARS - 1)
        .join("")
        .trimEnd()}…`;
}

/**
 * Text from another application made storable: NUL characters dropped and half surrogate pairs
 * replaced with U+FFFD (no database stores either as text).
 */
export function storableText(text: string): string {
  return text.replaceAll("\u0000", "").replace(/\p{Surrogate}/gu, "\ufffd");
}
