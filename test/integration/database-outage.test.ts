import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/db";
import { type ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import {
  createScratchDatabase,
  type StoppablePostgres,
  startStoppablePostgres,
} from "@/test/support/postgres";

// The bound: while the database is down, an answer within 5 s, not a hanging request.
const ANSWER_WITHIN_MS = 5_000;

async function timedFetch(request: () => Promise<Response>) {
  const started = Date.now();
  const response = await request();
  return { response, ms: Date.now() - started };
}

describe("a server whose Postgres stops mid-use", () => {
  let postgres: StoppablePostgres;
  let server: AppServer;
  let client: ApiClient;
  beforeAll(async () => {
    // Private: stopping the suite's shared Postgres would take other suites down with it.
    postgres = await startStoppablePostgres();
    const url = await createScratchDatabase(postgres.url, "outage");
    const handle = await openDatabase({ url, driver: "pg" });
    await handle.migrate();
    await handle.close();
    server = await startAppServer({ env: { DATABASE_URL: url } });
    client = await signedInClient(server.url);
  });
  afterAll(async () => {
    await server?.kill();
    await postgres?.stop();
  });

  it("answers 503 with Retry-After at once while it is down, then stores a resent message exactly once", async () => {
    const conversationId = randomUUID();
    await readReply(await client.send(conversationId, "Before the outage"));

    await postgres.halt();
    const messageId = randomUUID();
    const attempts = [
      await timedFetch(() => client.fetch("/api/conversations")),
      await timedFetch(() => client.send(conversationId, "During the outage", messageId)),
      await timedFetch(() => client.send(conversationId, "During the outage", messageId)),
    ];
    for (const { response, ms } of attempts) {
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
      expect(ms).toBeLessThan(ANSWER_WITHIN_MS);
    }

    await postgres.restart();
    const delivered = await readReply(
      await client.send(conversationId, "During the outage", messageId),
    );
    expect(delivered.finish?.status).toBe("complete");
    // A resend the browser might make if it missed the answer: the same turn, nothing new.
    const again = await readReply(
      await client.send(conversationId, "During the outage", messageId),
    );
    expect(again.start?.replyId).toBe(delivered.start?.replyId);

    const stored = await messagesOf(client, conversationId);
    expect(stored.map((m) => [m.role, m.sequence])).toEqual([
      ["user", 1],
      ["assistant", 2],
      ["user", 3],
      ["assistant", 4],
    ]);
    expect(stored.filter((m) => m.id === messageId)).toHaveLength(1);
    expect(stored[3]).toMatchObject({ id: delivered.start?.replyId, status: "complete" });
  });
});
