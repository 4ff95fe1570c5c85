// Every length limit in the app counts UTF-16 code units: what JavaScript's `.length` and zod's
// `.max()` count, so the browser, the API and the importer agree (an emoji is 2). Text is cut
// between characters, never between the two halves of a surrogate pair: half a character is
// not text any database can store.

/** The longest start of `text` of at most `max` UTF-16 code units that ends on a whole character. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  // A high surrogate last: its other half would be cut off, so it goes too.
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}
