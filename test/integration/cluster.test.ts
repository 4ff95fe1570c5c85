import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagesOf, readReply, signedInClient, wordCount } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { migratedPostgres, storedMessage } from "./servers";

// `npm start` on Postgres: workers sharing one port (scripts/start.mjs, scripts/serve/). One
// cluster serves every test of the first block, in order: the last one stops it.
const REPLY_WORDS = 80;
const LEASE_MS = 1500;
// A reply (8 s) that outlasts a stop that would not wait for `after()` (see crash.test.ts).
const slowModel = {
  OFFLINE_MODEL_TOKEN_DELAY_MS: "100",
  OFFLINE_MODEL_REPLY_WORDS: String(REPLY_WORDS),
  REPLY_LEASE_MS: String(LEASE_MS),
};

/** A GET on a connection of its own: the cluster hands out connections, not requests. */
function getOnNewConnection(url: string): Promise<{ status: number; worker?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        response.resume();
        const worker = response.headers["x-chatkeep-worker"];
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, worker: worker?.toString() }),
        );
      })
      .on("error", reject);
  });
}

/** The pid of the newest process the primary started for worker `slot`. */
function pidOfWorker(server: AppServer, slot: string): number {
  const started = [...server.output().matchAll(/\[primary\] worker (\d+) started \(pid (\d+)\)/g)];
  const pid = started.filter(([, n]) => n === slot).at(-1)?.[2];
  if (!pid) throw new Error(`no worker ${slot} in:\n${server.output()}`);
  return Number(pid);
}

/** Waits until the server's output matches `pattern` (a readiness wait, not an assertion). */
async function outputMatching(server: AppServer, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const match = server.output().match(pattern);
    if (match) return match;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never printed ${pattern}:\n${server.output()}`);
}

describe("npm start on Postgres, with two workers", () => {
  let server: AppServer;
  let databaseUrl: string;
  beforeAll(async () => {
    databaseUrl = await migratedPostgres();
    server = await startAppServer({ workers: 2, env: { DATABASE_URL: databaseUrl, ...slowModel } });
  });
  afterAll(async () => {
    await server?.kill("SIGKILL");
  });

  it("serves one port from two worker processes, and requests land on both", async () => {
    const pids = server.workerPids();
    expect(pids).toHaveLength(2);
    expect(pids).not.toContain(server.pid);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await getOnNewConnection(`${server.url}/api/health`));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set(["1", "2"]));
    expect(server.output()).toMatch(/\[worker 1\] \[chatkeep\] database ready \(pg\)/);
    expect(server.output()).toMatch(/\[worker 2\] \[chatkeep\] database ready \(pg\)/);
  });

  it("survives kill -9 of the worker generating a reply: the reply continues, the other worker serves, a new worker replaces it", async () => {
    const alice = await signedInClient(server.url);
    const id = randomUUID();
    const response = await alice.send(id, "Survive this");
    const slot = response.headers.get("x-chatkeep-worker") ?? "";
    expect(["1", "2"]).toContain(slot);
    const victim = pidOfWorker(server, slot);
    const seen = await readReply(response, (r) => wordCount(r.text) >= 20);
    process.kill(victim, "SIGKILL");

    await outputMatching(
      server,
      new RegExp(`worker ${slot} \\(pid ${victim}\\) exited \\(signal SIGKILL\\)`),
    );
    const during = [];
    for (let i = 0; i < 4; i++) during.push(await getOnNewConnection(`${server.url}/api/health`));
    expect(during.map((a) => a.status)).toEqual([200, 200, 200, 200]);

    // Past its lease, the reply reads as interrupted, with the text it had checkpointed.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 300));
    const again = alice.withBaseUrl(server.url);
    const [, reply] = await messagesOf(again, id);
    expect(reply?.status).toBe("interrupted");
    const partial = reply?.content ?? "";
    expect(wordCount(partial)).toBeLessThan(REPLY_WORDS);
    expect(seen.text.startsWith(partial) || partial.startsWith(seen.text)).toBe(true);

    const continued = await readReply(
      await again.json(`/api/conversations/${id}/continue`, "POST", { messageId: reply?.id }),
    );
    expect(continued.text.startsWith(partial)).toBe(true);
    expect(wordCount(continued.text)).toBe(REPLY_WORDS);
    expect((await messagesOf(again, id)).map((m) => m.status)).toEqual(["complete", "complete"]);

    await outputMatching(server, new RegExp(`\\[primary\\] replacing worker ${slot}`));
    const [, replacement] = await outputMatching(
      server,
      new RegExp(`\\[primary\\] worker ${slot} started \\(pid (?!${victim}\\))(\\d+)\\)`),
    );
    expect(server.workerPids()).toHaveLength(2);
    expect(server.workerPids()).toContain(Number(replacement));
    expect(server.workerPids()).not.toContain(victim);
  });

  it("on SIGTERM, finishes a reply whose browser left before it exits", async () => {
    const alice = await signedInClient(server.url);
    const left = await readReply(
      await alice.send(randomUUID(), "Finish me", randomUUID()),
      (r) => wordCount(r.text) >= 5,
    );
    const workers = server.workerPids();
    await server.kill("SIGTERM");

    // Every worker drained and exited on its own (128 + SIGTERM), none was killed.
    for (const pid of workers) expect(server.output()).toContain(`(pid ${pid}) exited (code 143)`);
    const reply = await storedMessage(databaseUrl, left.start?.replyId ?? "");
    expect(reply?.status).toBe("complete");
    expect(wordCount(reply?.content ?? "")).toBe(REPLY_WORDS);
  });
});

describe("npm start on PGlite", () => {
  let server: AppServer | undefined;
  afterAll(async () => {
    await server?.kill();
  });

  it("serves from one process and says why, WEB_CONCURRENCY ignored", async () => {
    // Answering at all is enough: no need to wait for PGlite to create and migrate itself.
    server = await startAppServer({ workers: 2, waitFor: "listening" });
    expect(server.output()).toMatch(
      /\[chatkeep\] serving from one process \(WEB_CONCURRENCY=2 ignored: PGlite is an embedded database that only one process may open/,
    );
    expect(server.workerPids()).toEqual([server.pid]);
    const children = readFileSync(`/proc/${server.pid}/task/${server.pid}/children`, "utf8");
    expect(children.trim()).toBe("");
    const answer = await getOnNewConnection(`${server.url}/api/health`);
    expect(answer.worker).toBeUndefined();
  });
});
