import { createUser, hitRateLimit } from "@/db";
import { database } from "@/db/instance";
import { apiRoute, RateLimitedError, readJson } from "@/lib/http";
import { hashPassword } from "@/lib/passwords";
import { registerBody } from "./schema";

const REGISTRATIONS_PER_HOUR_PER_ADDRESS = 20;

export const POST = apiRoute(async (request) => {
  const body = await readJson(request, registerBody);
  const db = await database();
  const address = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
  const limit = await hitRateLimit(db, {
    key: `register:${address}`,
    limit: REGISTRATIONS_PER_HOUR_PER_ADDRESS,
    windowMs: 3_600_000,
  });
  if (!limit.allowed)
    throw new RateLimitedError("Too many sign-ups; try later", limit.retryAfterMs);
  const user = await createUser(db, {
    email: body.email,
    name: body.name,
    passwordHash: await hashPassword(body.password),
  });
  return Response.json({ user: { id: user.id, email: user.email } }, { status: 201 });
});
