import "server-only";
import { createUser, type Database, hitRateLimit, type User } from "@/db";
import { RateLimitedError } from "@/lib/errors";
import { serverEnv } from "@/server/env";
import { hashPassword } from "./passwords";

/**
 * Creates a password account: the one path for both the API and the sign-up form, so neither
 * is a way around the other's rate limit. Throws RateLimitedError (429) or ConflictError (409,
 * email taken); the input is already validated.
 */
export async function registerAccount(
  db: Database,
  input: { email: string; password: string; name?: string; address: string },
): Promise<User> {
  const limit = await hitRateLimit(db, {
    key: `register:${input.address}`,
    limit: serverEnv().RATE_LIMIT_REGISTRATIONS_PER_HOUR,
    windowMs: 3_600_000,
  });
  if (!limit.allowed) {
    throw new RateLimitedError("Too many sign-ups from here; try again later", limit.retryAfterMs);
  }
  return createUser(db, {
    email: input.email,
    name: input.name,
    passwordHash: await hashPassword(input.password),
  });
}
