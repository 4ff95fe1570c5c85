const BASE_MS = 1_000;
const MAX_MS = 30_000;

/**
 * Delay before retry number `attempt` (1 = the first retry): doubling from one second up to
 * thirty, with up to 20% random spread so that many tabs coming back online do not retry in
 * lockstep.
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 16));
  const delay = Math.min(MAX_MS, BASE_MS * 2 ** exponent);
  return Math.round(delay * (0.8 + random() * 0.4));
}

/** A `Retry-After` header (seconds, or an HTTP date) in milliseconds; null when absent or odd. */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 10 * 60_000);
  const date = Date.parse(header);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.min(date - now, 10 * 60_000));
}
