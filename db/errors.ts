export const UNIQUE_VIOLATION = "23505";
export const NOT_NULL_VIOLATION = "23502";

export interface PostgresErrorInfo {
  code: string;
  constraint?: string;
}

/**
 * The SQLSTATE (and constraint) of a failed query, whichever driver raised it: node-postgres,
 * Neon and PGlite all put them on `code`/`constraint`, and Drizzle wraps their errors in its own
 * with the original as `cause`.
 */
export function postgresError(error: unknown): PostgresErrorInfo | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, constraint, cause } = current as {
      code?: unknown;
      constraint?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: typeof constraint === "string" ? constraint : undefined };
    }
    current = cause;
  }
  return undefined;
}

// What node-postgres (and Neon's copy of it) say when a connection fails or times out, which
// they raise as plain errors without a code: a connection cut or refused, the pool's wait for a
// connection running out, a query that got no answer in time, a client unusable after an error.
const CONNECTION_FAILURE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|is not queryable/i;

/** Connection-level failures: the database is down or refusing us, not the query being wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const info = postgresError(error);
  if (info) return /^(08|53|57P)/.test(info.code);
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND)$/.test(code)
    ) {
      return true;
    }
    if (typeof message === "string" && CONNECTION_FAILURE.test(message)) return true;
    current = cause;
  }
  return false;
}
