import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import pg from "pg";
import ws from "ws";
import * as schema from "./schema";

export type Schema = typeof schema;
/** A database handle or an open transaction: repository functions accept either. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Driver = "pglite" | "neon" | "pg";

export interface OpenDatabaseOptions {
  /** A postgres:// URL. Absent: the embedded PGlite database in `dataDir`. */
  url?: string;
  /** Where PGlite keeps its files; `memory://` for a throwaway database. */
  dataDir?: string;
  /** Force a driver instead of deriving it from the URL. */
  driver?: Driver;
  /** Neon only: a WebSocket proxy (host:port/path) in front of a plain Postgres, for tests. */
  neonWsProxy?: string;
  /** Pool size for the server drivers. */
  maxConnections?: number;
}

export interface DatabaseHandle {
  db: Database;
  driver: Driver;
  /** Applies the migrations in `folder` (default: the checked-in ones) that are not yet applied. */
  migrate(folder?: string): Promise<void>;
  close(): Promise<void>;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export function chooseDriver(url: string | undefined, forced?: Driver): Driver {
  if (forced) return forced;
  if (!url) return "pglite";
  const host = new URL(url).hostname;
  return host.endsWith(".neon.tech") ? "neon" : "pg";
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const driver = chooseDriver(options.url, options.driver);
  if (driver === "pglite") return openPglite(options.dataDir ?? path.join(".data", "pglite"));
  if (!options.url) throw new Error(`The ${driver} driver needs a DATABASE_URL`);
  return driver === "neon" ? openNeon(options.url, options) : openPg(options.url, options);
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true });
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const client = new PGlite(dataDir);
  const db = drizzle({ client, schema });
  return {
    db,
    driver: "pglite",
    migrate: (folder = migrationsFolder) => migrate(db, { migrationsFolder: folder }),
    close: () => client.close(),
  };
}

async function openPg(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10 });
  // An idle client that loses its server emits here; without a listener that would crash the
  // process. The next query gets a fresh connection.
  pool.on("error", (error) => console.error("[db] idle connection error:", error.message));
  const db = drizzle({ client: pool, schema });
  return {
    db,
    driver: "pg",
    migrate: (folder = migrationsFolder) => migrate(db, { migrationsFolder: folder }),
    close: () => pool.end(),
  };
}

async function openNeon(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const { drizzle } = await import("drizzle-orm/neon-serverless");
  const { migrate } = await import("drizzle-orm/neon-serverless/migrator");
  // Node 20 has no global WebSocket.
  neonConfig.webSocketConstructor = ws;
  const proxy = options.neonWsProxy;
  if (proxy) {
    // A local proxy speaks plain ws:// to a Postgres without TLS.
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.forceDisablePgSSL = true;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
  }
  const pool = new NeonPool({ connectionString: url, max: options.maxConnections ?? 10 });
  pool.on("error", (error: Error) => console.error("[db] idle connection error:", error.message));
  const db = drizzle({ client: pool, schema });
  return {
    db,
    driver: "neon",
    migrate: (folder = migrationsFolder) => migrate(db, { migrationsFolder: folder }),
    close: () => pool.end(),
  };
}
