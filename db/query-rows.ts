import type { SQL } from "drizzle-orm";
import type { Database } from "./client";

// node-postgres and Neon answer `execute` with a result object holding the rows, PGlite with
// the rows themselves.
export async function queryRows<T>(db: Database, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as T[];
  return (result as { rows: T[] }).rows;
}
