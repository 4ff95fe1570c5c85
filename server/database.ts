import "server-only";
import path from "node:path";
import { type Database, type DatabaseHandle, openDatabase, pingDatabase } from "@/db/client";
import { serverEnv } from "@/server/env";

// One database handle per server process. Kept on globalThis so that dev-mode module reloads
// do not open a second PGlite on the same folder.
const holder = globalThis as typeof globalThis & { __chatkeepDb?: Promise<DatabaseHandle> };

/** Opens the database the environment names (DATABASE_URL, or PGlite under DATA_DIR). */
export function openDatabaseFromEnv(): Promise<DatabaseHandle> {
  const env = serverEnv();
  return openDatabase({
    url: env.DATABASE_URL,
    driver: env.DATABASE_DRIVER,
    dataDir: path.join(env.DATA_DIR, "pglite"),
    neonWsProxy: env.NEON_WS_PROXY,
    connectTimeoutMs: env.DATABASE_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    searchLanguage: env.SEARCH_LANGUAGE,
  });
}

async function openAndPrepare(): Promise<DatabaseHandle> {
  const handle = await openDatabaseFromEnv();
  // The embedded database has no operator to run migrations: it migrates itself on start.
  // A server database is migrated by `npm run db:migrate`, once, before the app rolls out.
  if (handle.driver === "pglite") await handle.migrate();
  return handle;
}

export function databaseHandle(): Promise<DatabaseHandle> {
  holder.__chatkeepDb ??= openAndPrepare().catch((error) => {
    holder.__chatkeepDb = undefined;
    throw error;
  });
  return holder.__chatkeepDb;
}

export async function database(): Promise<Database> {
  return (await databaseHandle()).db;
}

/** True when the database answers a trivial query. */
export async function isDatabaseReady(): Promise<boolean> {
  try {
    await pingDatabase(await database());
    return true;
  } catch {
    return false;
  }
}
