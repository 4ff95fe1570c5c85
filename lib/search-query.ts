import { z } from "zod";
import { cleanText } from "./validation";

// Shared by the browser and the server: no database or server-only imports here.

export const MAX_SEARCH_QUERY_CHARS = 200;

// Not trimmed: a trailing space says the last word is finished (see splitSearchQuery).
export const searchQuerySchema = cleanText(
  z
    .string({ message: "must be a string" })
    .max(MAX_SEARCH_QUERY_CHARS, `must be at most ${MAX_SEARCH_QUERY_CHARS} characters`)
    .refine((value) => value.trim().length > 0, "must not be empty"),
);

export interface SplitQuery {
  /** Everything typed before the last word, for `websearch_to_tsquery` (quotes, -minus, or). */
  complete: string;
  /** The word still being typed, matched as a prefix; null when there is none. */
  prefix: string | null;
}

// Letters, marks and digits only: the prefix goes into `to_tsquery`, whose own syntax
// (quotes, `&|!():*`, backslashes) must never reach it from what was typed.
const TRAILING_WORD = /[\p{L}\p{M}\p{N}]+$/u;

/**
 * Splits what was typed into the part that is finished and the word still being typed. The
 * last word is a prefix only when it can be one: not after a space (the person finished it),
 * not inside an open quoted phrase (a phrase is matched as written), not negated (`-wor` would
 * exclude everything starting with "wor" while the person is still typing "word").
 */
export function splitSearchQuery(query: string): SplitQuery {
  const match = TRAILING_WORD.exec(query);
  if (!match) return { complete: query, prefix: null };
  const before = query.slice(0, match.index);
  const insidePhrase = (before.match(/"/g)?.length ?? 0) % 2 === 1;
  const negated = /(^|\s)-$/.test(before);
  if (insidePhrase || negated) return { complete: query, prefix: null };
  return { complete: before, prefix: match[0] };
}
