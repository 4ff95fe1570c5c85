// How `npm start` serves: one worker per core on a server database, one process on PGlite.

const PGLITE_REASON =
  "PGlite is an embedded database that only one process may open; set DATABASE_URL to a Postgres server to serve from every core";

/**
 * Whether the server will open PGlite: the same choice as db/client.ts `chooseDriver`
 * (DATABASE_DRIVER wins; otherwise no DATABASE_URL means PGlite).
 * @param {Record<string, string | undefined>} env
 */
export function usesPglite(env) {
  if (env.DATABASE_DRIVER) return env.DATABASE_DRIVER.trim() === "pglite";
  return !env.DATABASE_URL?.trim();
}

/**
 * WEB_CONCURRENCY as a count of workers, or undefined when unset.
 * @param {string | undefined} value
 * @returns {number | undefined}
 */
export function parseWebConcurrency(value) {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new Error(
      `WEB_CONCURRENCY must be a positive integer (workers to start), not "${value}"`,
    );
  }
  return Number(text);
}

/**
 * @typedef {{ mode: "single", notice: string } | { mode: "cluster", workers: number }} ServePlan
 * @param {{ env: Record<string, string | undefined>, cores: number }} input
 * @returns {ServePlan} throws on a bad WEB_CONCURRENCY
 */
export function planServing({ env, cores }) {
  const asked = parseWebConcurrency(env.WEB_CONCURRENCY);
  if (usesPglite(env)) {
    const ignored = asked !== undefined && asked > 1 ? `WEB_CONCURRENCY=${asked} ignored: ` : "";
    return { mode: "single", notice: `serving from one process (${ignored}${PGLITE_REASON})` };
  }
  return { mode: "cluster", workers: asked ?? cores };
}
