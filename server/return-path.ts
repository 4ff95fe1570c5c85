import "server-only";
import { cookies, headers } from "next/headers";
import { safeCallbackUrl } from "@/lib/safe-redirect";

// Where to go back to after signing in. Ordinary pages say it in the sign-in address
// (`/sign-in?callbackUrl=/c/…`), but a share link's path holds its token, and an address ends up
// in access logs, proxies' logs and browser history: the way back to a share link travels in a
// short-lived httpOnly cookie instead, set by the share page's own server action.

const RETURN_PATH_COOKIE = "chatkeep-return-to";
const RETURN_PATH_MAX_AGE_S = 10 * 60;

/** True for a path that must never appear in an address other than its own. */
export function isSecretPath(path: string): boolean {
  return path.startsWith("/s/");
}

/** Remembers `path` (a same-site path only) for the sign-in page. Server actions only. */
export async function rememberReturnPath(path: string): Promise<void> {
  const origin = (await headers()).get("origin") ?? "";
  (await cookies()).set(RETURN_PATH_COOKIE, safeCallbackUrl(path), {
    httpOnly: true,
    sameSite: "lax",
    secure: origin.startsWith("https:"),
    path: "/",
    maxAge: RETURN_PATH_MAX_AGE_S,
  });
}

/** Clears it once a sign-in carries the path on (in its form). Server actions only. */
export async function forgetReturnPath(): Promise<void> {
  const jar = await cookies();
  if (jar.has(RETURN_PATH_COOKIE)) jar.delete(RETURN_PATH_COOKIE);
}

/**
 * The path to return to: the address's `callbackUrl` when it has one, else the remembered one,
 * else home. Either way only a same-site path (`safeCallbackUrl`): never an open redirect.
 */
export async function returnPath(callbackUrl: unknown): Promise<string> {
  if (typeof callbackUrl === "string" && callbackUrl !== "") return safeCallbackUrl(callbackUrl);
  return safeCallbackUrl((await cookies()).get(RETURN_PATH_COOKIE)?.value);
}

/**
 * The query that carries `path` between the sign-in and sign-up pages: none for home, and none
 * for a secret path (the cookie that brought it still holds it).
 */
export function returnQuery(path: string): string {
  if (path === "/" || isSecretPath(path)) return "";
  return `?callbackUrl=${encodeURIComponent(path)}`;
}
