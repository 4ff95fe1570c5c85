// Stamps requests with their connection's address, and opens (and for the embedded database,
// migrates) the database when the server boots, so a bad DATABASE_URL or a broken migration
// stops the start instead of the first request; so do bad model settings.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: per-address limits need every request stamped with its connection's address.
  const { stampClientAddresses } = await import("./server/remote-address");
  stampClientAddresses();
  const { databaseHandle } = await import("./server/database");
  const { authSecret } = await import("./server/signing-secret");
  const { endpointsEnv } = await import("./ai/endpoints-env");
  // A missing AUTH_SECRET where one is required, or bad model settings (AI_ENDPOINTS...), stop
  // the process: Next.js would log an error thrown here and go on serving 500s, which looks
  // alive to a supervisor.
  try {
    authSecret();
    endpointsEnv();
  } catch (error) {
    console.error(`[chatkeep] cannot start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  const handle = await databaseHandle();
  console.log(`[chatkeep] database ready (${handle.driver})`);
  const { startRateLimitSweeper } = await import("./db/rate-limit-sweeper");
  startRateLimitSweeper(handle.db);
}
