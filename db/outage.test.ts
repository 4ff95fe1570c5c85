import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { makeConversation, makeUser } from "@/test/support/factories";
import {
  createScratchDatabase,
  type StoppablePostgres,
  startStoppablePostgres,
} from "@/test/support/postgres";
import { type DatabaseHandle, type Driver, openDatabase } from "./client";
import { isDatabaseUnavailable } from "./errors";
import { startTurn } from "./replies";

// The bound for an answer while the database is down: a request must not hang.
const FAIL_FAST_MS = 5_000;

/** What a call did, and how long it took to do it. */
async function timed(work: () => Promise<unknown>) {
  const started = Date.now();
  try {
    await work();
    return { error: undefined, ms: Date.now() - started };
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
}

const lease = { owner: "outage-test", ms: 60_000 };
const serverDrivers: Driver[] = ["pg", "neon"];

describe.each(serverDrivers)("a database that goes down [%s]", (driver) => {
  let postgres: StoppablePostgres;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    postgres = await startStoppablePostgres();
    const url = await createScratchDatabase(postgres.url);
    handle = await openDatabase({ driver, url, neonWsProxy: inject("neonProxy") });
    await handle.migrate();
  });
  afterAll(async () => {
    await handle?.close();
    await postgres?.stop();
  });

  it("fails each query fast with an error read as 'unavailable', and serves again once it is back", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const conversation = await makeConversation(db, user.id);
    // Warm connections in the pool: the stop cuts them, as it would under traffic.
    await Promise.all([1, 2, 3].map(() => db.execute(sql`select 1`)));

    await postgres.halt();
    const read = await timed(() => db.execute(sql`select 1`));
    const turn = await timed(() =>
      startTurn(db, {
        userId: user.id,
        conversationId: conversation.id,
        message: { id: randomUUID(), content: "Sent during the outage" },
        replyId: randomUUID(),
        lease,
      }),
    );
    for (const outcome of [read, turn]) {
      expect(outcome.error, "a query succeeded with the database down").toBeDefined();
      expect(isDatabaseUnavailable(outcome.error), String(outcome.error)).toBe(true);
      expect(outcome.ms).toBeLessThan(FAIL_FAST_MS);
    }

    await postgres.restart();
    await startTurn(db, {
      userId: user.id,
      conversationId: conversation.id,
      message: { id: randomUUID(), content: "Sent after the outage" },
      replyId: randomUUID(),
      lease,
    });
    const stored = await db.execute(sql`select count(*)::int as n from messages`);
    const rows = Array.isArray(stored) ? stored : (stored as { rows: { n: number }[] }).rows;
    // The user message and its reply; nothing from the failed turn.
    expect(Number((rows[0] as { n: number }).n)).toBe(2);
  });
});

describe.each(serverDrivers)(
  "a database that accepts connections but never answers [%s]",
  (driver) => {
    let silent: Server;
    const sockets = new Set<Socket>();
    let handle: DatabaseHandle;
    beforeAll(async () => {
      // Like a Postgres host that is frozen or behind a black-holing network: the TCP handshake
      // succeeds, then nothing comes back.
      silent = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const { port } = silent.address() as { port: number };
      handle = await openDatabase({
        driver,
        url: `postgres://nobody:nothing@127.0.0.1:${port}/none`,
        neonWsProxy: inject("neonProxy"),
      });
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent?.close(resolve));
      await handle?.close().catch(() => {});
    });

    it("gives up connecting within the bound, with an error read as 'unavailable'", async () => {
      const outcome = await timed(() => handle.db.execute(sql`select 1`));
      expect(outcome.error, "a query succeeded against a silent server").toBeDefined();
      expect(isDatabaseUnavailable(outcome.error), String(outcome.error)).toBe(true);
      expect(outcome.ms).toBeLessThan(FAIL_FAST_MS);
    });
  },
);

/**
 * A TCP relay to Postgres that can go silent: while frozen it swallows what either side sends,
 * as a frozen host or a dropped network path would, without closing anything.
 */
async function freezableRelay(targetPort: number) {
  let frozen = false;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port: targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => {});
    }
    client.on("data", (chunk) => frozen || upstream.write(chunk));
    upstream.on("data", (chunk) => frozen || client.write(chunk));
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    freeze: () => {
      frozen = true;
    },
    thaw: () => {
      frozen = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe.each(serverDrivers)("a database that stops answering mid-use [%s]", (driver) => {
  const queryTimeoutMs = 1_500;
  let postgres: StoppablePostgres;
  let relay: Awaited<ReturnType<typeof freezableRelay>>;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    postgres = await startStoppablePostgres();
    const direct = new URL(await createScratchDatabase(postgres.url));
    relay = await freezableRelay(postgres.port);
    direct.port = String(relay.port);
    handle = await openDatabase({
      driver,
      url: direct.toString(),
      neonWsProxy: inject("neonProxy"),
      maxConnections: 2,
      connectTimeoutMs: queryTimeoutMs,
      queryTimeoutMs,
    });
    await handle.migrate();
  });
  afterAll(async () => {
    await relay?.close();
    await handle?.close().catch(() => {});
    await postgres?.stop();
  });

  it("fails queries on open connections after the query timeout, then serves on fresh ones", async () => {
    const db = handle.db;
    const user = await makeUser(db);
    const conversation = await makeConversation(db, user.id);
    await Promise.all([1, 2].map(() => db.execute(sql`select 1`)));

    relay.freeze();
    // As many transactions as the pool has connections, and a plain query waiting for one.
    const turnDuringFreeze = () =>
      timed(() =>
        startTurn(db, {
          userId: user.id,
          conversationId: conversation.id,
          message: { id: randomUUID(), content: "Sent into the void" },
          replyId: randomUUID(),
          lease,
        }),
      );
    const outcomes = await Promise.all([
      turnDuringFreeze(),
      turnDuringFreeze(),
      timed(() => db.execute(sql`select 1`)),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.error, "a query succeeded against a silent server").toBeDefined();
      expect(isDatabaseUnavailable(outcome.error), String(outcome.error)).toBe(true);
      expect(outcome.ms).toBeLessThan(FAIL_FAST_MS);
    }

    relay.thaw();
    // Every connection that failed mid-query went back to the pool and was closed: none is
    // lost to the pool, none is handed out again still waiting for its answer.
    for (let round = 0; round < 4; round++) {
      const fresh = await makeConversation(db, user.id);
      await startTurn(db, {
        userId: user.id,
        conversationId: fresh.id,
        message: { id: randomUUID(), content: `After the freeze ${round}` },
        replyId: randomUUID(),
        lease,
      });
      await db.execute(sql`select 1`);
    }
  });
});

/** A migrations folder with one migration that takes `seconds` to run. */
function slowMigration(seconds: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), "chatkeep-slow-migration-"));
  mkdirSync(path.join(folder, "meta"));
  const entry = { idx: 0, version: "7", when: Date.now(), tag: "0000_slow", breakpoints: true };
  writeFileSync(
    path.join(folder, "meta/_journal.json"),
    JSON.stringify({ version: "7", dialect: "postgresql", entries: [entry] }),
  );
  writeFileSync(path.join(folder, "0000_slow.sql"), `select pg_sleep(${seconds});`);
  return folder;
}

describe.each(serverDrivers)("the query timeout [%s]", (driver) => {
  it("bounds what requests run, not migrations (an index over a large table takes its time)", async () => {
    const handle = await openDatabase({
      driver,
      url: await createScratchDatabase(inject("postgresUrl")),
      neonWsProxy: inject("neonProxy"),
      queryTimeoutMs: 300,
    });
    try {
      const slow = await timed(() => handle.db.execute(sql`select pg_sleep(1)`));
      expect(isDatabaseUnavailable(slow.error), String(slow.error)).toBe(true);
      await handle.migrate(slowMigration(1));
    } finally {
      await handle.close();
    }
  });
});
