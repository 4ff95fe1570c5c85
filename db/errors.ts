export const UNIQUE_VIOLATION = "23505";
export const NOT_NULL_VIOLATION = "23502";

export interface PostgresErrorInfo {
  code: string;
  constraint?: string;
}

// The classes (first two characters) of every SQLSTATE Postgres raises (its errcodes.txt).
// Five upper-case characters alone do not make a SQLSTATE: Node's system errors share `code`
// and some are five letters long (`EPIPE`, `EBADF`), or hold a digit (`E2BIG`).
const SQLSTATE_CLASSES = new Set(
  "00 01 02 03 08 09 0A 0B 0F 0L 0P 0Z 10 20 21 22 23 24 25 26 27 28 2B 2D 2F 34 38 39 3B 3D 3F 40 42 44 53 54 55 57 58 F0 HV P0 XX".split(
    " ",
  ),
);

function isSqlState(code: unknown): code is string {
  return (
    typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && SQLSTATE_CLASSES.has(code.slice(0, 2))
  );
}

/**
 * The SQLSTATE (and constraint) of a failed query, whichever driver raised it: node-postgres,
 * Neon and PGlite all put them on `code`/`constraint`, and Drizzle wraps their errors in its own
 * with the original as `cause`. A Node system error's code on the way is not one: the search
 * goes on to its cause.
 */
export function postgresError(error: unknown): PostgresErrorInfo | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, constraint, cause } = current as {
      code?: unknown;
      constraint?: unknown;
      cause?: unknown;
    };
    if (isSqlState(code)) {
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
