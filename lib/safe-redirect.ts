import { hasControlCharacter } from "./control-characters";

const FALLBACK = "/";

/**
 * The `callbackUrl` to return to after signing in, only when it stays on this site: a relative
 * path. Absolute URLs, protocol-relative `//host` and backslash tricks (`/\host`, which browsers
 * read as `//host`) fall back to the home page, so the sign-in form cannot be used as an open
 * redirect.
 */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== "string" || value.length === 0 || value.length > 2000) return FALLBACK;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return FALLBACK;
  if (hasControlCharacter(value)) return FALLBACK;
  try {
    const base = "http://chatkeep.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return FALLBACK;
    // Sending someone back to the auth pages after signing in would loop.
    if (url.pathname === "/sign-in" || url.pathname === "/sign-up") return FALLBACK;
    const path = `${url.pathname}${url.search}${url.hash}`;
    // Parsing resolves dot segments: `/.//evil.example` and `/x/..//evil.example` come out as
    // `//evil.example`, another site's address. The result is checked, not only the input.
    if (path.startsWith("//") || path.startsWith("/\\")) return FALLBACK;
    return path;
  } catch {
    return FALLBACK;
  }
}
