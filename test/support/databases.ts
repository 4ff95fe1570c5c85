import type { SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { type DatabaseHandle, type Driver, openDatabase } from "@/db";
import { createScratchDatabase } from "./postgres";

export const allDrivers: Driver[] = ["pglite", "pg", "neon"];

/** A fresh, migrated database on the given driver, private to the calling suite. */
export async function openTestDatabase(
  driver: Driver,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<DatabaseHandle> {
  const handle =
    driver === "pglite"
      ? await openDatabase({ driver, dataDir: "memory://" })
      : await openDatabase({
          driver,
          url: await createScratchDatabase(inject("postgresUrl")),
          neonWsProxy: inject("neonProxy"),
          maxConnections: 20,
        });
  if (migrate) await handle.migrate();
  return handle;
}

/**
 * Runs the suite once per driver, each on its own fresh database. `fn` receives a getter, since
 * the database opens in beforeAll.
 */
export function describeOnEachDriver(
  name: string,
  fn: (db: () => DatabaseHandle["db"], handle: () => DatabaseHandle) => void,
) {
  describe.each(allDrivers)(`${name} [%s]`, (driver) => {
    let handle: DatabaseHandle | undefined;
    beforeAll(async () => {
      handle = await openTestDatabase(driver);
    });
    afterAll(async () => {
      await handle?.close();
    });
    const opened = () => {
      if (!handle) throw new Error("database not open yet");
      return handle;
    };
    fn(() => opened().db, opened);
  });
}

/**
 * One database on `driver` for the whole file (opened in beforeAll, closed in afterAll); returns
 * a getter for it. For tests that need one driver, like the plan tests on Postgres.
 */
export function openForFile(driver: Driver): () => DatabaseHandle["db"] {
  let handle: DatabaseHandle | undefined;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await handle?.close();
  });
  return () => {
    if (!handle) throw new Error("database not open yet");
    return handle.db;
  };
}

/** Runs raw SQL in a test and returns its rows, whichever driver answers. */
export async function queryRows<T>(db: DatabaseHandle["db"], query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
