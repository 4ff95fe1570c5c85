import "server-only";
import { type Database, hitRateLimit } from "@/db";
import { RateLimitedError } from "@/lib/errors";
import { type ServerEnv, serverEnv } from "./env";

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * The per-user budgets of what costs the server most, each a fixed window counted in the
 * database (db/rate-limits.ts), so every instance shares it, and counted on every path that
 * reaches the action (route handler or server action alike).
 */
const LIMITS = {
  send: {
    windowMs: MINUTE,
    limit: (env: ServerEnv) => env.RATE_LIMIT_SENDS_PER_MINUTE,
    message: "Too many messages; wait a moment",
  },
  search: {
    windowMs: MINUTE,
    limit: (env: ServerEnv) => env.RATE_LIMIT_SEARCHES_PER_MINUTE,
    message: "Too many searches; wait a moment",
  },
  import: {
    windowMs: HOUR,
    limit: (env: ServerEnv) => env.RATE_LIMIT_IMPORTS_PER_HOUR,
    message: "Too many imports this hour; try again later",
  },
  export: {
    windowMs: HOUR,
    limit: (env: ServerEnv) => env.RATE_LIMIT_EXPORTS_PER_HOUR,
    message: "Too many exports of the whole account this hour; try again later",
  },
  share: {
    windowMs: HOUR,
    limit: (env: ServerEnv) => env.RATE_LIMIT_SHARES_PER_HOUR,
    message: "Too many share links made this hour; try again later",
  },
  "share-copy": {
    windowMs: HOUR,
    limit: (env: ServerEnv) => env.RATE_LIMIT_SHARE_COPIES_PER_HOUR,
    message: "Too many shared conversations continued this hour; try again later",
  },
} as const;

export type LimitedAction = keyof typeof LIMITS;

/** Counts one `action` by the user; throws RateLimitedError (429, Retry-After) past its budget. */
export async function enforceUserLimit(
  db: Database,
  action: LimitedAction,
  userId: string,
): Promise<void> {
  const { windowMs, limit, message } = LIMITS[action];
  const result = await hitRateLimit(db, {
    key: `${action}:${userId}`,
    limit: limit(serverEnv()),
    windowMs,
  });
  if (!result.allowed) throw new RateLimitedError(message, result.retryAfterMs);
}
