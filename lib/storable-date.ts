// Dates the app takes from outside and hands to Postgres (imported dates, keyset cursors).
// Postgres's timestamptz stops at 294276 AD (and refuses some early dates the drivers send), and
// anything past 9999 would export as `+010000-…`, which is not the four-digit ISO 8601 the
// Chatkeep format (and its reader) uses. So years 1 to 9999 UTC: every real export's dates and
// every stored row's, each storable and each written back as it was read.
const EARLIEST = Date.parse("0001-01-01T00:00:00.000Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

export const STORABLE_DATE_RANGE = "a date-time between the years 1 and 9999";

/** Whether `date` is a valid date within years 1–9999 (UTC). */
export function isStorableDate(date: Date): boolean {
  const time = date.getTime();
  return time >= EARLIEST && time <= LATEST;
}
