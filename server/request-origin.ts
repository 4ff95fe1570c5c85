/** Methods that change nothing: no cross-site or content-type check applies to them. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Whether a request was sent by a page of another site, from the headers browsers set and pages
 * cannot forge: `Sec-Fetch-Site`, and `Origin` compared with the host the request was sent to.
 * The host is the `Host` header; behind trusted proxies (`trustedHops` > 0) the first
 * `X-Forwarded-Host` entry also counts, for proxies that rewrite `Host`. Schemes are not
 * compared: a proxy terminating TLS makes the app see http for an https page. A request with
 * neither header (curl, a server) is not a browser's cross-site request and passes.
 */
export function isCrossSiteRequest(headers: Headers, trustedHops: number): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  // `same-site` is a sibling subdomain: another app, as foreign as any other site.
  if (fetchSite === "cross-site" || fetchSite === "same-site") return true;
  const origin = headers.get("origin");
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    // "null" (a sandboxed frame, a file) or garbage: not one of our pages.
    return true;
  }
  const hosts = [headers.get("host")];
  if (trustedHops > 0) hosts.push(headers.get("x-forwarded-host")?.split(",")[0]?.trim() ?? null);
  return !hosts.some((host) => host && host.toLowerCase() === originHost);
}

/** Whether a Content-Type header names JSON (`application/json`, parameters allowed). */
export function isJsonContentType(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}
