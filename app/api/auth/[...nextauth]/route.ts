import { handlers } from "@/auth";
import { hitRateLimit } from "@/db";
import { database } from "@/db/instance";
import { serverEnv } from "@/lib/env";
import { apiRoute, clientAddress, RateLimitedError } from "@/lib/http";

export const { GET } = handlers;

const WINDOW_MS = 60_000;

/**
 * Auth.js's endpoints, with password sign-in attempts rate-limited per email and per address
 * before Auth.js sees them: guessing is answered 429, whichever instance it reaches.
 */
export const POST = apiRoute(async (request) => {
  if (!new URL(request.url).pathname.endsWith("/callback/credentials")) {
    return handlers.POST(request as Parameters<typeof handlers.POST>[0]);
  }
  const form = await request
    .clone()
    .formData()
    .catch(() => null);
  const email = String(form?.get("email") ?? "")
    .trim()
    .toLowerCase()
    .slice(0, 254);
  const address = clientAddress(request.headers);
  const db = await database();
  const perMinute = serverEnv().RATE_LIMIT_LOGINS_PER_MINUTE;
  for (const [key, limit] of [
    [`login:email:${email}`, perMinute],
    [`login:address:${address}`, perMinute * 10],
  ] as const) {
    const result = await hitRateLimit(db, { key, limit, windowMs: WINDOW_MS });
    if (!result.allowed) {
      throw new RateLimitedError("Too many sign-in attempts; wait a minute", result.retryAfterMs);
    }
  }
  return handlers.POST(request as Parameters<typeof handlers.POST>[0]);
});
