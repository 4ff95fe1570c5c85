import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";

const MAX_FOLLOWERS = 3;

describe("live followers per user", () => {
  let server: AppServer;
  let alice: ApiClient;
  beforeAll(async () => {
    server = await startAppServer({
      env: {
        MAX_FOLLOWERS_PER_USER: String(MAX_FOLLOWERS),
        // Replies of about six seconds: long enough to hold followers open.
        OFFLINE_MODEL_TOKEN_DELAY_MS: "100",
        OFFLINE_MODEL_REPLY_WORDS: "60",
      },
    });
    alice = await signedInClient(server.url);
  });
  afterAll(() => server?.kill());

  const follow = (conversationId: string) =>
    alice.fetch(`/api/conversations/${conversationId}/stream`);

  /** Starts a reply and leaves it generating; the sender's own stream is dropped. */
  async function liveReply(): Promise<string> {
    const conversationId = randomUUID();
    const sent = await alice.send(conversationId, "Take your time");
    expect(sent.status).toBe(200);
    await sent.body?.cancel();
    return conversationId;
  }

  it("caps a user's open followers with a 429, and frees a slot when one closes or ends", async () => {
    const conversationId = await liveReply();
    const followers: Response[] = [];
    for (let i = 0; i < MAX_FOLLOWERS; i++) {
      const response = await follow(conversationId);
      expect(response.status).toBe(200);
      followers.push(response);
    }
    const refused = await follow(conversationId);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited" } });

    // A browser that goes away gives its slot back.
    await followers.shift()?.body?.cancel();
    await vi.waitFor(
      async () => {
        const response = await follow(conversationId);
        expect(response.status).toBe(200);
        followers.push(response);
      },
      { timeout: 5_000, interval: 200 },
    );

    // Followers of a reply that ends close, and their slots are free for the next reply.
    const reads = await Promise.all(followers.map((response) => readReply(response)));
    for (const read of reads) expect(read.finish?.status).toBe("complete");
    const next = await liveReply();
    const again = await Promise.all(Array.from({ length: MAX_FOLLOWERS }, () => follow(next)));
    expect(again.map((response) => response.status)).toEqual(Array(MAX_FOLLOWERS).fill(200));
    await Promise.all(again.map((response) => response.body?.cancel()));
  });
});
