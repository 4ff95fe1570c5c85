import "server-only";
import { logError } from "@/lib/log";
import type { Database } from "./client";
import { sweepRateLimits } from "./rate-limits";

export interface SweeperOptions {
  intervalMs: number;
  batchSize: number;
  /** Batches per run at most, so one run never monopolises a connection. */
  maxBatches: number;
}

const defaults: SweeperOptions = { intervalMs: 10 * 60_000, batchSize: 1000, maxBatches: 20 };

/**
 * Removes expired rate-limit windows in the background, once per `intervalMs`, off every
 * user's request path: each run deletes bounded batches until the backlog is gone or
 * `maxBatches` ran. Every instance runs one; the deletes are idempotent, so overlapping
 * sweepers only share the work. Returns a function that stops it.
 */
export function startRateLimitSweeper(
  db: Database,
  options: Partial<SweeperOptions> = {},
): () => void {
  const { intervalMs, batchSize, maxBatches } = { ...defaults, ...options };
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      for (let batch = 0; batch < maxBatches; batch++) {
        if ((await sweepRateLimits(db, { batchSize })) < batchSize) break;
      }
    } catch (error) {
      // The next run tries again; expired windows only cost space meanwhile.
      logError("[rate-limits] sweep failed", error);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(run, intervalMs);
  // Never the reason a process stays alive.
  timer.unref();
  return () => clearInterval(timer);
}
