import { hasControlCharacter } from "@/lib/control-characters";

/**
 * The address a Markdown link may point to: absolute http(s) URLs only. Everything else
 * (`javascript:`, `data:`, `vbscript:`, relative paths, protocol-relative `//host`) is refused,
 * as is anything with whitespace or control characters, which URL parsers strip and which can
 * disguise a scheme (`java\tscript:`).
 */
export function safeHref(raw: string): string | null {
  const value = raw.trim();
  if (!value || value.length > 2048) return null;
  if (/\s/.test(value) || hasControlCharacter(value)) return null;
  if (!/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!url.hostname) return null;
    return url.href;
  } catch {
    return null;
  }
}
