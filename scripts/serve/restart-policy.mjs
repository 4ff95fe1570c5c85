// What the primary does when a worker dies outside a shutdown. A worker that dies soon after it
// started is most likely to die again the same way (a bad setting, a database that refuses it),
// so such deaths are replaced more slowly each time, and after a few in a row the primary stops
// instead of looping.

/** A death this soon after the worker was forked counts as quick. */
export const QUICK_DEATH_MS = 10_000;
/** Quick deaths in a row after which the primary gives up. */
export const MAX_QUICK_DEATHS = 5;
/** Replacing after the n-th quick death in a row waits n times this. */
export const BACKOFF_STEP_MS = 1_000;

/**
 * @param {{ livedMs: number, anyWorkerReady: boolean, quickDeaths: number }} death
 *   `quickDeaths`: quick deaths in a row before this one
 * @returns {{ action: "replace", delayMs: number, quickDeaths: number }
 *   | { action: "stop", reason: string }}
 */
export function afterWorkerDeath({ livedMs, anyWorkerReady, quickDeaths }) {
  // Before any worker ever served, this is a server that cannot start, as `next start` would
  // not: its error is in the worker's log above.
  if (!anyWorkerReady) return { action: "stop", reason: "a worker died before any worker served" };
  if (livedMs >= QUICK_DEATH_MS) return { action: "replace", delayMs: 0, quickDeaths: 0 };
  const count = quickDeaths + 1;
  if (count >= MAX_QUICK_DEATHS) {
    return {
      action: "stop",
      reason: `${count} workers in a row died within ${QUICK_DEATH_MS / 1000} s of starting`,
    };
  }
  return { action: "replace", delayMs: count * BACKOFF_STEP_MS, quickDeaths: count };
}
