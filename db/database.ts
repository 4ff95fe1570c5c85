// The database's type on its own, so that a module the opener calls (search-language.ts) can
// take a database without importing the opener back.
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type * as schema from "./schema";

export type Schema = typeof schema;
/** A database handle or an open transaction: repository functions accept either. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Driver = "pglite" | "neon" | "pg";
