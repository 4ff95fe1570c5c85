import { eq } from "drizzle-orm";
import { inject } from "vitest";
import { openDatabase } from "@/db";
import { type Message, messages } from "@/db/schema";
import { type AppServer, type AppServerOptions, startAppServer } from "@/test/support/app-server";
import { createScratchDatabase } from "@/test/support/postgres";

export type Backend = "pglite" | "postgres";
export const backends: Backend[] = ["pglite", "postgres"];

/** A fresh, migrated Postgres database for app servers to share; returns its URL. */
export async function migratedPostgres(): Promise<string> {
  const url = await createScratchDatabase(inject("postgresUrl"), "app");
  const handle = await openDatabase({ url, driver: "pg" });
  await handle.migrate();
  await handle.close();
  return url;
}

/** An app server on the embedded database, or on a fresh Postgres database. */
export async function startServerOn(
  backend: Backend,
  options: AppServerOptions = {},
): Promise<AppServer> {
  if (backend === "pglite") return startAppServer(options);
  const env = { DATABASE_URL: await migratedPostgres(), ...options.env };
  return startAppServer({ ...options, env });
}

/** A message's row as stored, read straight from Postgres (e.g. after its server has exited). */
export async function storedMessage(url: string, id: string): Promise<Message | undefined> {
  const handle = await openDatabase({ url, driver: "pg" });
  try {
    const [row] = await handle.db.select().from(messages).where(eq(messages.id, id));
    return row;
  } finally {
    await handle.close();
  }
}
