import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadReply, readReply, signedInClient, wordCount } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import {
  AFTER_TITLE,
  PADDED_TITLE,
  postPaddedImport,
  residentBytes,
} from "@/test/support/padded-import";
import { startServerOn } from "./servers";

// One import must never take the server down: a 200 MB ChatGPT file whose first conversation
// is padded with empty objects (which a reader building whole conversations grows into GBs of
// heap) against `next start` on Postgres, with the default limits, while someone else's reply
// streams. What is asserted is memory, not time.
const FILE_BYTES = 200 * 1024 * 1024;
const MAX_RSS_GROWTH = 150 * 1024 * 1024;
const REPLY_WORDS = 60;

describe("a 200 MB padded import on a server that is replying to someone else", () => {
  let server: AppServer;

  beforeAll(async () => {
    server = await startServerOn("postgres", {
      // A reply slow enough to be streaming while the file is read.
      env: { OFFLINE_MODEL_TOKEN_DELAY_MS: "30", OFFLINE_MODEL_REPLY_WORDS: String(REPLY_WORDS) },
    });
  });
  afterAll(() => server?.kill());

  it("fails the padded conversation, stores the other, stays within its memory and keeps replying", async () => {
    const [importer, chatter] = [
      await signedInClient(server.url),
      await signedInClient(server.url),
    ];
    // Warm-up outside the measure: both routes compiled and run once.
    await readReply(await chatter.send(randomUUID(), "Warm up"));
    const warmUp = await (await signedInClient(server.url)).fetch("/api/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: readFileSync(
        path.resolve(import.meta.dirname, "../fixtures/import/chatgpt-conversations.json"),
      ),
    });
    expect(warmUp.status).toBe(200);

    const before = residentBytes(server.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentBytes(server.pid));
    }, 20);
    let reply: ReadReply | undefined;
    const answer = await postPaddedImport(
      server.url,
      importer.cookieHeader() ?? "",
      FILE_BYTES,
      // Sent once a tenth of the file is in; the file's end waits for the reply's.
      async () => {
        reply = await readReply(await chatter.send(randomUUID(), "Still there?"));
      },
    ).finally(() => clearInterval(sampler));

    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      format: "chatgpt",
      imported: 1,
      skipped: 0,
      failedCount: 1,
      failed: [
        {
          index: 0,
          title: PADDED_TITLE,
          reason: "is larger than 16 MB, the limit for one conversation",
        },
      ],
    });
    const listed = await (await importer.fetch("/api/conversations?limit=10")).json();
    expect(listed.items.map((c: { title: string }) => c.title)).toEqual([AFTER_TITLE]);

    expect(reply?.error).toBeUndefined();
    expect(reply?.finish).toBeDefined();
    expect(wordCount(reply?.text ?? "")).toBe(REPLY_WORDS);

    expect(peak - before).toBeLessThan(MAX_RSS_GROWTH);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  }, 300_000);
});
