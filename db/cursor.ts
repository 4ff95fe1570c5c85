import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import { ValidationError } from "@/lib/errors";
import { isStorableDate } from "@/lib/storable-date";
import { idSchema } from "@/lib/validation";

/** A keyset position, opaque to clients: the last row's timestamp and id. */
export interface Keyset {
  at: Date;
  id: string;
}

export function encodeKeyset({ at, id }: Keyset): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

// A cursor's instant must be storable (lib/storable-date.ts): JavaScript dates reach further
// (year 0, negative and six-digit years), which Postgres refuses with an error, and a forged
// cursor must be a 400 here, not a failed query. No stored row is dated outside the range.

export function decodeKeyset(raw: string): Keyset {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === "string") {
      const at = new Date(parsed[0]);
      const id = idSchema.safeParse(parsed[1]);
      if (isStorableDate(at) && id.success) {
        return { at, id: id.data };
      }
    }
  } catch {
    // fall through to the validation error
  }
  throw new ValidationError("cursor is invalid");
}

/**
 * `order by at desc, id desc` in the form the `(user_id, at desc, id desc)` indexes hold:
 * Drizzle declares those as DESC NULLS LAST, and a plain `desc` means NULLS FIRST, which such an
 * index cannot give, so Postgres would read and sort every row of the user for each page. Both
 * columns are NOT NULL, so the two orders are the same rows.
 */
export function newestFirst(at: AnyColumn, id: AnyColumn): [SQL, SQL] {
  return [sql`${at} desc nulls last`, sql`${id} desc nulls last`];
}

/**
 * The rows past `after` in a keyset walk on (at, id): below it when the walk goes newest first,
 * above it when oldest first; no condition before the first page. A row comparison, so an
 * index on (…, at, id) in the walk's order serves it directly.
 */
export function pastKeyset(
  at: AnyColumn | SQL,
  id: AnyColumn | SQL,
  after: Keyset | null,
  order: "newest first" | "oldest first",
): SQL | undefined {
  if (!after) return undefined;
  const position = sql`(${after.at.toISOString()}::timestamptz, ${after.id}::uuid)`;
  return order === "newest first"
    ? sql`(${at}, ${id}) < ${position}`
    : sql`(${at}, ${id}) > ${position}`;
}

/**
 * One page from the `limit + 1` rows a keyset read asks for: the first `limit`, and the
 * position of the last of them when the extra row shows there is more (null at the end).
 */
export function keysetPage<Row>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => Keyset,
): { items: Row[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? encodeKeyset(positionOf(last)) : null;
  return { items, nextCursor };
}
