import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import { CredentialsSignin } from "next-auth";
import { type Database, hitRateLimit } from "@/db";
import { serverEnv } from "@/server/env";

const WINDOW_MS = 60_000;

/**
 * Thrown from the credentials provider's `authorize`. Auth.js hands the error itself to a
 * server-side `signIn()` caller (the sign-in form), and puts `code` in the error redirect of
 * its HTTP endpoint.
 */
export class LoginRateLimitedError extends CredentialsSignin {
  override code = "rate_limited";
  readonly retryAfterMs: number;

  constructor(retryAfterMs: number) {
    super("Too many sign-in attempts");
    this.retryAfterMs = retryAfterMs;
  }

  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryAfterMs / 1000));
  }
}

// Auth.js turns a refusal into a redirect on its HTTP endpoint; the route handler runs the
// attempt inside this context to learn how long the caller must wait.
const attemptOutcome = new AsyncLocalStorage<{ limited?: LoginRateLimitedError }>();

/**
 * Counts one password sign-in attempt for `email` (RATE_LIMIT_LOGINS_PER_MINUTE) and for the
 * caller's address (ten times that), whichever path it came by; throws LoginRateLimitedError
 * past either limit. The counters live in the database, shared by every instance.
 */
export async function countLoginAttempt(
  db: Database,
  input: { email: string; address: string },
): Promise<void> {
  const perMinute = serverEnv().RATE_LIMIT_LOGINS_PER_MINUTE;
  for (const [key, limit] of [
    [`login:email:${input.email}`, perMinute],
    [`login:address:${input.address}`, perMinute * 10],
  ] as const) {
    const result = await hitRateLimit(db, { key, limit, windowMs: WINDOW_MS });
    if (!result.allowed) {
      const error = new LoginRateLimitedError(result.retryAfterMs);
      const outcome = attemptOutcome.getStore();
      if (outcome) outcome.limited = error;
      throw error;
    }
  }
}

/** Runs an Auth.js request, and says whether a sign-in attempt in it was refused by the limit. */
export async function withLoginOutcome(
  run: () => Promise<Response>,
): Promise<{ response: Response; limited?: LoginRateLimitedError }> {
  const outcome: { limited?: LoginRateLimitedError } = {};
  const response = await attemptOutcome.run(outcome, run);
  return { response, limited: outcome.limited };
}
