import { cutText } from "@/lib/text-length";
import { MAX_TITLE_CHARS } from "@/lib/validation";

/**
 * A title as an import stores it: whitespace collapsed, cut to the stored limit (in UTF-16
 * units, between whole characters: never inside an emoji), absent when blank.
 */
export function importTitle(title: string | null | undefined): string | null {
  const text = storableText(title ?? "")
    .replace(/\s+/g, " ")
    .trim();
  if (!text) return null;
  return text.length <= MAX_TITLE_CHARS ? text : `${cutText(text, MAX_TITLE_CHARS - 1).trimEnd()}…`;
}

/**
 * Text from another application made storable: NUL characters dropped and half surrogate pairs
 * replaced with U+FFFD (no database stores either as text).
 */
export function storableText(text: string): string {
  return text.replaceAll("\u0000", "").replace(/\p{Surrogate}/gu, "\ufffd");
}
