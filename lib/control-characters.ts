/**
 * True when the text holds an ASCII control character (tab, newline, NUL, DEL…). URL parsers
 * silently drop tabs and newlines, so `java\tscript:` or `/\t/host` could hide what a string
 * really points to; such input is refused rather than cleaned.
 */
export function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
