import { type NextRequest, NextResponse } from "next/server";
import { CrossSiteError } from "@/lib/errors";
import { serverEnv } from "@/server/env";
import { isCrossSiteRequest, SAFE_METHODS } from "@/server/request-origin";
import {
  contentSecurityPolicy,
  newNonce,
  STATIC_SECURITY_HEADERS,
} from "@/server/security-headers";

/**
 * Security headers on every response but the API's (pages, static files), with a fresh script
 * nonce per request. Otherwise it passes the request on (streamed replies flow through untouched, and
 * nothing here reaches the database), except a page request that would change something sent
 * by another site's page: see `refusesCrossSite`.
 */
export function proxy(request: NextRequest) {
  const policy = contentSecurityPolicy({
    nonce: newNonce(),
    githubSignIn: Boolean(process.env.AUTH_GITHUB_ID && process.env.AUTH_GITHUB_SECRET),
    development: process.env.NODE_ENV === "development",
  });
  // Next reads the nonce from the request's copy of the policy and puts it on its scripts.
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = refusesCrossSite(request)
    ? NextResponse.json(new CrossSiteError().toJSON(), { status: 403 })
    : NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) {
    response.headers.set(name, value);
  }
  if (request.nextUrl.pathname.startsWith("/s/")) {
    // Share links: kept out of search engines, and the token in the address is not sent on as
    // a Referer, not even to this site's own pages: only the origin is. Not `no-referrer`: under
    // it a browser sends `Origin: null` with the page's own form posts ("Sign in to continue",
    // "Continue in my account" before hydration or without JavaScript), which reads as another
    // site's and is refused.
    response.headers.set("X-Robots-Tag", "noindex, nofollow");
    response.headers.set("Referrer-Policy", "strict-origin");
  }
  return response;
}

/**
 * A POST to a page is a server action (sign-in, sign-up, sign-out, "Continue in my account"):
 * refused here with the API's 403 when another site's page sent it, by the same rule as
 * `apiRoute` (server/request-origin.ts). Next's own check compares only `Origin` with the host,
 * and answers a mismatch with a 500 (and lets `Sec-Fetch-Site: cross-site` without `Origin`
 * through). API routes are left to `apiRoute`, which also holds them to JSON.
 */
function refusesCrossSite(request: NextRequest): boolean {
  return (
    !SAFE_METHODS.has(request.method) &&
    isCrossSiteRequest(request.headers, serverEnv().TRUSTED_PROXY_HOPS)
  );
}

// Every path but the API's: its answers carry fixed headers from next.config.ts, and need no
// nonce (and an import, read as a stream of up to IMPORT_MAX_BYTES, must not be buffered, as
// Next does with the body of a request the proxy runs on, cutting it at 10 MB).
export const config = { matcher: ["/((?!api/).*)"] };
