export const UNIQUE_VIOLATION = "23505";
export const NOT_NULL_VIOLATION = "23502";

/**
 * The SQLSTATE of a failed query, whichever driver raised it: node-postgres, Neon and PGlite all
 * put it on `code`, and Drizzle wraps their errors in its own with the original as `cause`.
 */
export function postgresErrorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = cause;
  }
  return undefined;
}
