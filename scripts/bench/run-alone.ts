import { startTestPostgres } from "@/test/support/postgres";

/**
 * Runs a bench module's `bench(postgresUrl)` when the module is the script node was started
 * with (not when `scripts/bench.ts` imports it), on a private Postgres stopped afterwards.
 */
export async function runAloneOnPostgres(
  moduleUrl: string,
  bench: (postgresUrl: string) => Promise<void>,
): Promise<void> {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const postgres = await startTestPostgres();
  try {
    await bench(postgres.url);
  } finally {
    await postgres.stop();
  }
}
