import "server-only";
import { sql } from "drizzle-orm";
import type { SearchLanguage } from "@/lib/search-language";
import type { Database } from "./database";
import { messageVectorExpression, titleVectorExpression } from "./search-vectors";

const SEARCH_COLUMNS = [
  { table: "messages", expression: messageVectorExpression },
  { table: "conversations", expression: titleVectorExpression },
] as const;

/**
 * Makes the generated search columns use `language`, after the migrations: a generated
 * column's expression fixes its configuration, and the checked-in migration says `simple`.
 * Rewrites a column only when its expression names another configuration (the rewrite rebuilds
 * the table and its GIN index, so it must not happen on every start). Needs Postgres 17+
 * (`SET EXPRESSION`), which PGlite and the supported servers are. A database migrated only
 * up to a release without the columns is left alone.
 */
export async function applySearchLanguage(db: Database, language: SearchLanguage): Promise<void> {
  for (const column of SEARCH_COLUMNS) {
    const current = await generationExpression(db, column.table);
    if (current === null || current.includes(`'${language}'::regconfig`)) continue;
    await db.execute(
      sql.raw(
        `ALTER TABLE "${column.table}" ALTER COLUMN "search_vector" SET EXPRESSION AS (${column.expression(language)})`,
      ),
    );
  }
}

/** The search column's expression as Postgres prints it, or null when the column is missing. */
export async function generationExpression(db: Database, table: string): Promise<string | null> {
  const result: unknown = await db.execute(
    sql`select pg_get_expr(d.adbin, d.adrelid) as expression
        from pg_attrdef d
        join pg_attribute a on a.attrelid = d.adrelid and a.attnum = d.adnum
        where d.adrelid = to_regclass(${`public.${table}`}) and a.attname = 'search_vector'`,
  );
  const rows = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  const row = rows[0] as { expression?: string } | undefined;
  return row?.expression ?? null;
}
