import "server-only";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gin } from "@electric-sql/pglite/contrib/btree_gin";
import { Pool as NeonPool, neonConfig } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import pg from "pg";
import ws from "ws";
import { logError } from "@/lib/log";
import { DEFAULT_SEARCH_LANGUAGE, type SearchLanguage } from "@/lib/search-language";
import type { Database, Driver } from "./database";
import { isDatabaseUnavailable } from "./errors";
import * as schema from "./schema";
import { applySearchLanguage } from "./search-language";

export type { Database, Driver, Schema } from "./database";

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
  /**
   * Server drivers: how long a query waits for a connection (a new one, or a free one from a
   * full pool) before failing. Default 3 s.
   */
  connectTimeoutMs?: number;
  /**
   * Server drivers: how long a query waits for its answer before failing. Default 10 s; 0: no
   * limit (migrations, which may rebuild an index over a large table, run without one).
   */
  queryTimeoutMs?: number;
  /** The text search configuration the search columns use, applied by `migrate`. */
  searchLanguage?: SearchLanguage;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/**
 * Pool settings shared by node-postgres and Neon (whose Pool is node-postgres's). Without the
 * timeouts, a database that accepts connections but never answers (a frozen host, a dropped
 * network path, a full pool whose connections hang) holds every request forever; with them,
 * the query fails with an error `isDatabaseUnavailable` recognises and the API answers 503.
 * No query a request makes legitimately runs for seconds.
 */
function poolSettings(url: string, options: OpenDatabaseOptions) {
  return {
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    query_timeout: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    idleTimeoutMillis: 10_000,
    // Lets the kernel notice a peer that vanished without closing the connection.
    keepAlive: true,
  };
}

export interface DatabaseHandle {
  db: Database;
  driver: Driver;
  /** Applies the migrations in `folder` (default: the checked-in ones) that are not yet applied. */
  migrate(folder?: string): Promise<void>;
  close(): Promise<void>;
}

const searchLanguageOf = (options: OpenDatabaseOptions) =>
  options.searchLanguage ?? DEFAULT_SEARCH_LANGUAGE;

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export function chooseDriver(url: string | undefined, forced?: Driver): Driver {
  if (forced) return forced;
  if (!url) return "pglite";
  const host = new URL(url).hostname;
  return host.endsWith(".neon.tech") ? "neon" : "pg";
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const driver = chooseDriver(options.url, options.driver);
  if (driver === "pglite") {
    return openPglite(options.dataDir ?? path.join(".data", "pglite"), options);
  }
  if (!options.url) throw new Error(`The ${driver} driver needs a DATABASE_URL`);
  return driver === "neon" ? openNeon(options.url, options) : openPg(options.url, options);
}

async function openPglite(dataDir: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (!dataDir.includes("://")) mkdirSync(dataDir, { recursive: true });
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  // btree_gin: the per-user search indexes (migration 0006) are GIN over (user_id, words).
  const client = new PGlite(dataDir, { extensions: { btree_gin } });
  const db = drizzle({ client, schema });
  return {
    db,
    driver: "pglite",
    migrate: async (folder = migrationsFolder) => {
      await migrate(db, { migrationsFolder: folder });
      await applySearchLanguage(db, searchLanguageOf(options));
    },
    close: () => client.close(),
  };
}

interface PooledClient {
  query: (...args: unknown[]) => unknown;
  /** Set by the pool while the connection is checked out. */
  release?: (error?: unknown) => void;
}

/**
 * Drizzle's transactions check a connection out and give it back in a `finally`, but a failing
 * `begin` throws before that `try`, and the connection is never given back. A few of those while
 * the database is down, and the pool is full of connections nobody returns: it keeps timing out
 * after the database is back. So a connection-level failure on a checked-out connection gives it
 * back at once, as broken (the pool closes it, and a query still waiting on it cannot block the
 * next user); the caller's own release later does nothing.
 */
function releaseBrokenConnections(pool: {
  on(event: "connect", listener: (client: PooledClient) => void): unknown;
}) {
  pool.on("connect", (client) => {
    const query = client.query.bind(client);
    client.query = (...args: unknown[]) => {
      const result = query(...args);
      // Callback-style calls (the pool's own `pool.query`) release with the error themselves.
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          const release = client.release;
          if (!release || !isDatabaseUnavailable(error)) return;
          client.release = () => {};
          release(error);
        });
      }
      return result;
    };
  });
}

async function openPg(url: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const { drizzle } = await import("drizzle-orm/node-postgres");
  const { migrate } = await import("drizzle-orm/node-postgres/migrator");
  const pool = new pg.Pool(poolSettings(url, options));
  releaseBrokenConnections(pool as never);
  // An idle client that loses its server emits here; without a listener that would crash the
  // process. The next query gets a fresh connection.
  pool.on("error", (error) => logError("[db] idle connection error", error));
  const db = drizzle({ client: pool, schema });
  return {
    db,
    driver: "pg",
    migrate: (folder = migrationsFolder) =>
      migrateWithoutTimeout(
        new pg.Pool(poolSettings(url, { ...options, queryTimeoutMs: 0 })),
        (client) => drizzle({ client, schema }),
        (db) => migrate(db, { migrationsFolder: folder }),
        options,
      ),
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
  const pool = new NeonPool(poolSettings(url, options));
  releaseBrokenConnections(pool as never);
  pool.on("error", (error: Error) => logError("[db] idle connection error", error));
  const db = drizzle({ client: pool, schema });
  return {
    db,
    driver: "neon",
    migrate: (folder = migrationsFolder) =>
      migrateWithoutTimeout(
        new NeonPool(poolSettings(url, { ...options, queryTimeoutMs: 0 })),
        (client) => drizzle({ client, schema }),
        (db) => migrate(db, { migrationsFolder: folder }),
        options,
      ),
    close: () => pool.end(),
  };
}

/**
 * Migrations on a pool of their own, without the query timeout that bounds requests: building an
 * index over a large table may take longer than any request should. The pool ends with them.
 */
async function migrateWithoutTimeout<P extends { end(): Promise<void> }, D extends Database>(
  pool: P,
  connect: (pool: P) => D,
  migrate: (db: D) => Promise<void>,
  options: OpenDatabaseOptions,
): Promise<void> {
  try {
    const db = connect(pool);
    await migrate(db);
    await applySearchLanguage(db, searchLanguageOf(options));
  } finally {
    await pool.end();
  }
}

/** Runs a trivial query: throws when the database does not answer. */
export async function pingDatabase(db: Database): Promise<void> {
  await db.execute(sql`select 1`);
}
