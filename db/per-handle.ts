import "server-only";
import type { Database } from "./client";

/**
 * `build(db)`, made once per database handle and kept as long as the handle lives: for
 * statements prepared once (building a Drizzle query costs more CPU than Postgres spends
 * running a small one, and a named statement is parsed and planned once per connection).
 */
export function perHandle<T>(build: (db: Database) => T): (db: Database) => T {
  const built = new WeakMap<Database, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
