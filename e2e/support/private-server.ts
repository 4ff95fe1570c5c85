import { openDatabase } from "@/db";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { createScratchDatabase, startTestPostgres } from "@/test/support/postgres";

export interface PrivateServer {
  server: AppServer;
  /** The server's database, for specs that seed data through db/ as the app writes it. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * A `next start` server of a spec's own, on a private, migrated Postgres: for specs that seed
 * data directly (the shared e2e server runs on PGlite, which only its own process can open).
 */
export async function startPrivateServer(env: Record<string, string> = {}): Promise<PrivateServer> {
  const postgres = await startTestPostgres();
  const databaseUrl = await createScratchDatabase(postgres.url, "e2e");
  const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
  await handle.migrate();
  await handle.close();
  const server = await startAppServer({ env: { DATABASE_URL: databaseUrl, ...env } });
  return {
    server,
    databaseUrl,
    stop: async () => {
      await server.kill();
      await postgres.stop();
    },
  };
}
