import { handlers } from "@/auth";
import { withLoginOutcome } from "@/auth/login-limit";
import { RateLimitedError } from "@/lib/errors";
import { apiRoute } from "@/server/http";

export const { GET } = handlers;

type AuthRequest = Parameters<typeof handlers.POST>[0];

/**
 * Auth.js's endpoints. Password attempts are counted inside the credentials provider (the
 * sign-in form counts there too); here a refused attempt becomes 429 with Retry-After instead
 * of Auth.js's redirect to the sign-in page. Auth.js's forms carry its own CSRF token, so they
 * need not be JSON, but they are still refused cross-site.
 */
export const POST = apiRoute(
  async (request) => {
    const { response, limited } = await withLoginOutcome(() =>
      handlers.POST(request as AuthRequest),
    );
    if (limited) {
      throw new RateLimitedError("Too many sign-in attempts; wait a minute", limited.retryAfterMs);
    }
    return response;
  },
  { acceptForms: true },
);
