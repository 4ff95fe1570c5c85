import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiClient,
  messagesOf,
  readReply,
  signedInClient,
  wordCount,
} from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { migratedPostgres } from "./servers";

describe("two app instances sharing one Postgres", () => {
  let a: AppServer;
  let b: AppServer;
  let onA: ApiClient;
  let onB: ApiClient;
  beforeAll(async () => {
    const env = {
      DATABASE_URL: await migratedPostgres(),
      OFFLINE_MODEL_TOKEN_DELAY_MS: "25",
      OFFLINE_MODEL_REPLY_WORDS: "60",
    };
    [a, b] = await Promise.all([startAppServer({ env }), startAppServer({ env })]);
    onA = await signedInClient(a.url);
    onB = onA.withBaseUrl(b.url);
  });
  afterAll(async () => {
    await a?.kill();
    await b?.kill();
  });

  it("behave as one: a session and a conversation started on one are served by the other", async () => {
    const id = randomUUID();
    await readReply(await onA.send(id, "Hello from A"));
    const list = await (await onB.fetch("/api/conversations")).json();
    expect(list.items.map((c: { id: string }) => c.id)).toContain(id);
    const reply = await readReply(await onB.send(id, "Hello from B"));
    expect(reply.text).toContain("I received 3 messages of context");
  });

  it("resumes on B a reply being generated on A", async () => {
    const id = randomUUID();
    const started = await readReply(await onA.send(id, "Long answer please"), (r) =>
      r.text.includes("context."),
    );
    const resumed = await onB.fetch(`/api/conversations/${id}/stream`);
    expect(resumed.status).toBe(200);
    const whole = await readReply(resumed);
    expect(whole.start?.replyId).toBe(started.start?.replyId);
    expect(whole.text.startsWith(started.text)).toBe(true);
    expect(wordCount(whole.text)).toBe(60);
    const [, stored] = await messagesOf(onA, id);
    expect(stored).toMatchObject({ status: "complete", content: whole.text });
  });

  it("stops on B a reply being generated on A", async () => {
    const id = randomUUID();
    const reading = readReply(await onA.send(id, "Keep talking"));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await onB.json(`/api/conversations/${id}/stop`, "POST")).status).toBe(200);
    const streamed = await reading;
    expect(streamed.finish?.status).toBe("stopped");
    const [, stored] = await messagesOf(onB, id);
    expect(stored).toMatchObject({ status: "stopped", content: streamed.text });
    expect(wordCount(streamed.text)).toBeLessThan(60);
  });
});
