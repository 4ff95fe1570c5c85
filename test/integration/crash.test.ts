import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { messagesOf, readReply, signedInClient, wordCount } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { backends, startServerOn } from "./servers";

const REPLY_WORDS = 80;
const LEASE_MS = 1500;
const slowModel = {
  OFFLINE_MODEL_TOKEN_DELAY_MS: "30",
  OFFLINE_MODEL_REPLY_WORDS: String(REPLY_WORDS),
  REPLY_LEASE_MS: String(LEASE_MS),
};

describe.each(backends)("a server killed mid-reply on %s", (backend) => {
  const servers: AppServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.kill();
  });

  it("loses nothing: the reply shows as interrupted with its text, and continues", async () => {
    const first = await startServerOn(backend, { env: slowModel });
    servers.push(first);
    const alice = await signedInClient(first.url);
    const id = randomUUID();
    const messageId = randomUUID();

    // Read until the reply is well under way (several checkpoints), then pull the plug.
    const seen = await readReply(
      await alice.send(id, "Survive this", messageId),
      (r) => wordCount(r.text) >= 30,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.kill("SIGKILL");

    const second = await startAppServer({
      env: first.env,
      dataDir: first.env.DATA_DIR,
    });
    servers.push(second);
    const again = alice.withBaseUrl(second.url);
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 300));

    const [question, reply] = await messagesOf(again, id);
    expect(question).toMatchObject({ id: messageId, content: "Survive this", status: "complete" });
    expect(reply?.status).toBe("interrupted");
    const partial = reply?.content ?? "";
    expect(wordCount(partial)).toBeGreaterThanOrEqual(20);
    expect(wordCount(partial)).toBeLessThan(REPLY_WORDS);
    expect(seen.text.startsWith(partial) || partial.startsWith(seen.text)).toBe(true);
    expect((await again.fetch(`/api/conversations/${id}/stream`)).status).toBe(204);

    const continued = await readReply(
      await again.json(`/api/conversations/${id}/regenerate`, "POST", {
        messageId: reply?.id,
        mode: "continue",
      }),
    );
    expect(continued.text.startsWith(partial)).toBe(true);
    expect(wordCount(continued.text)).toBe(REPLY_WORDS);
    const after = await messagesOf(again, id);
    expect(after.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
    ]);
    expect(after[1]?.content).toBe(continued.text);
  });
});
