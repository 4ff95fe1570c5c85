import "server-only";
import { inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { perHandle } from "./per-handle";
import { rateLimits } from "./schema";

const hitInput = z.object({
  key: z.string().min(1).max(300),
  limit: z.number().int().min(1),
  windowMs: z.number().int().min(1000).max(86_400_000),
});

export interface RateLimitResult {
  allowed: boolean;
  /** Milliseconds until the current window ends. */
  retryAfterMs: number;
}

/**
 * Counts one hit against `key` in the current fixed window and says whether it is within
 * `limit`. The counter lives in the database, so every server instance shares it.
 */
export async function hitRateLimit(
  db: Database,
  input: { key: string; limit: number; windowMs: number },
): Promise<RateLimitResult> {
  const { key, limit, windowMs } = parseInput(hitInput, input);
  const [row] = await hitStatement(db).execute({ key, windowMs });
  const hits = row?.hits ?? 1;
  return { allowed: hits <= limit, retryAfterMs: Math.max(0, Number(row?.retryAfterMs ?? 0)) };
}

// Every request that sends or signs in runs this: built and prepared once per handle.
const hitStatement = perHandle((db: Database) => {
  const windowMs = sql`${sql.placeholder("windowMs")}::int * interval '1 millisecond'`;
  return db
    .insert(rateLimits)
    .values({
      key: sql.placeholder("key"),
      windowStart: sql`date_bin(${windowMs}, now(), 'epoch'::timestamptz)`,
      hits: 1,
    })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { hits: sql`${rateLimits.hits} + 1` },
    })
    .returning({
      hits: rateLimits.hits,
      retryAfterMs: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + ${windowMs} - now())) * 1000)::int`,
    })
    .prepare("chatkeep_hit_rate_limit");
});

const sweepInput = z.object({
  batchSize: z.number().int().min(1).max(10_000),
  olderThanMs: z.number().int().min(86_400_000),
});

/**
 * Deletes up to `batchSize` windows that started more than `olderThanMs` ago (no window is
 * longer than a day, so such a window can no longer count) and returns how many went. Bounded,
 * so one call holds its locks briefly however many windows piled up; the caller repeats.
 */
export async function sweepRateLimits(
  db: Database,
  input: { batchSize: number; olderThanMs?: number },
): Promise<number> {
  const { batchSize, olderThanMs } = parseInput(sweepInput, {
    olderThanMs: 86_400_000,
    ...input,
  });
  // The oldest windows first, found through rate_limits_window_idx, by primary key.
  const expired = db
    .select({ key: rateLimits.key, windowStart: rateLimits.windowStart })
    .from(rateLimits)
    .where(lt(rateLimits.windowStart, sql`now() - ${olderThanMs}::int * interval '1 millisecond'`))
    .orderBy(rateLimits.windowStart)
    .limit(batchSize);
  const deleted = await db
    .delete(rateLimits)
    .where(inArray(sql`(${rateLimits.key}, ${rateLimits.windowStart})`, expired))
    .returning({ key: rateLimits.key });
  return deleted.length;
}
