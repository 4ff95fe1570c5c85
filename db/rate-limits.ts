import "server-only";
import { lt, sql } from "drizzle-orm";
import { z } from "zod";
import { parseInput } from "@/lib/validation";
import type { Database } from "./client";
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
  const windowStart = sql`date_bin(${windowMs}::int * interval '1 millisecond', now(), 'epoch'::timestamptz)`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, hits: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.key, rateLimits.windowStart],
      set: { hits: sql`${rateLimits.hits} + 1` },
    })
    .returning({
      hits: rateLimits.hits,
      retryAfterMs: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + ${windowMs}::int * interval '1 millisecond' - now())) * 1000)::int`,
    });
  // Old windows are useless; an occasional caller sweeps them instead of a scheduled job.
  if (Math.random() < 0.01) {
    await db.delete(rateLimits).where(lt(rateLimits.windowStart, sql`now() - interval '1 day'`));
  }
  const hits = row?.hits ?? 1;
  return { allowed: hits <= limit, retryAfterMs: Math.max(0, Number(row?.retryAfterMs ?? 0)) };
}
