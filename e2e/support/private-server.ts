import type { Browser, BrowserContext, Page } from "@playwright/test";
import {
  type ConversationSummary,
  createConversation,
  type Database,
  getUserByEmail,
  openDatabase,
} from "@/db";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { createScratchDatabase, startTestPostgres } from "@/test/support/postgres";
import { test } from "../fixtures";
import { openSignedInPage } from "./accounts";

export interface PrivateServer {
  server: AppServer;
  /** The server's database, for specs that seed data through db/ as the app writes it. */
  databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * A `next start` server of a spec's own, on a private, migrated Postgres: for specs that seed
 * data directly (the shared e2e server runs on PGlite, which only its own process can open).
 */
export async function startPrivateServer(env: Record<string, string> = {}): Promise<PrivateServer> {
  const postgres = await startTestPostgres();
  const databaseUrl = await createScratchDatabase(postgres.url, "e2e");
  const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
  await handle.migrate();
  await handle.close();
  const server = await startAppServer({ env: { DATABASE_URL: databaseUrl, ...env } });
  return {
    server,
    databaseUrl,
    stop: async () => {
      await server.kill();
      await postgres.stop();
    },
  };
}

/**
 * A private server for the tests of the describe block this is called in: started before the
 * first, stopped after the last. The function returned gives it to a test. `env` may be a
 * function, read as the server starts: for values known only once an earlier `beforeAll` has
 * run (a fake model server's address).
 */
export function usePrivateServer(
  env: Record<string, string> | (() => Record<string, string>) = {},
): () => PrivateServer {
  let privateServer: PrivateServer | undefined;
  test.beforeAll(async () => {
    privateServer = await startPrivateServer(typeof env === "function" ? env() : env);
  });
  test.afterAll(async () => {
    await privateServer?.stop();
  });
  return () => {
    if (!privateServer) throw new Error("the private server has not started");
    return privateServer;
  };
}

/**
 * A new person signed in on a private server, in a browser context of their own, with one
 * conversation of theirs that `fill` fills through db/, as the app writes it. The caller closes
 * the context.
 */
export async function openSeededConversation(
  browser: Browser,
  { server, databaseUrl }: PrivateServer,
  title: string,
  fill: (db: Database, conversation: ConversationSummary) => Promise<unknown>,
): Promise<{ context: BrowserContext; page: Page; conversationId: string }> {
  const { context, page, account } = await openSignedInPage(browser, server.url);
  const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
  try {
    const user = await getUserByEmail(handle.db, { email: account.email });
    const conversation = await createConversation(handle.db, { userId: user?.id ?? "", title });
    await fill(handle.db, conversation);
    return { context, page, conversationId: conversation.id };
  } finally {
    await handle.close();
  }
}
