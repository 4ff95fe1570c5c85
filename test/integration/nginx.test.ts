import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { type Nginx, nginxBlocks, startNginx } from "@/test/support/nginx";

// The nginx configurations docs/operations.md gives operators, run as written in front of the
// app (only addresses and the TLS listener are swapped for local ones), so that the page stays
// true: an import larger than nginx's default body limit passes, and a reply streams through.
const docs = path.resolve(import.meta.dirname, "../../docs/operations.md");
const [behindOneProxy, twoInstances] = nginxBlocks(docs);

const examples: Record<string, (app: string, port: number) => string> = {
  "behind one proxy": (app, port) => `
  server {
    listen 127.0.0.1:${port};
${(behindOneProxy ?? "").replaceAll("127.0.0.1:3000", app)}
  }`,
  "two instances": (app, port) =>
    (twoInstances ?? "")
      .replace(/server 10\.0\.0\.\d+:3000/g, `server ${app}`)
      .replace(/listen 443 ssl;/, `listen 127.0.0.1:${port};`),
};

/** A ChatGPT export of `count` conversations, each one message of `chars` characters. */
function chatgptFile(count: number, chars: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      title: `Long ${i}`,
      create_time: 1714640400 + i,
      id: `nginx-${i}`,
      current_node: "n",
      mapping: {
        n: {
          parent: null,
          message: {
            author: { role: "user" },
            content: { content_type: "text", parts: [`${i} `.padEnd(chars, "x")] },
          },
        },
      },
    })),
  );
}

let app: AppServer;

beforeAll(async () => {
  // Replies slow enough that one is still streaming when its first words arrive.
  app = await startAppServer({ env: { OFFLINE_MODEL_TOKEN_DELAY_MS: "40" } });
});

afterAll(async () => {
  await app?.kill();
});

it("docs/operations.md has both nginx examples", () => {
  expect(behindOneProxy).toContain("location = /api/import");
  expect(twoInstances).toContain("upstream chatkeep");
});

describe.each(Object.keys(examples))("nginx %s", (name) => {
  let nginx: Nginx;

  beforeAll(async () => {
    const example = examples[name];
    if (!example) throw new Error(`no example ${name}`);
    nginx = await startNginx((port) => example(`127.0.0.1:${app.port}`, port));
  });

  afterAll(async () => {
    await nginx?.stop();
  });

  it("passes an import larger than nginx's default 1 MiB body limit", async () => {
    const client = await signedInClient(nginx.url);
    const file = chatgptFile(30, 90_000);
    expect(file.length).toBeGreaterThan(2.5 * 1024 * 1024);
    const response = await client.fetch("/api/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: file,
    });
    expect(response.status).toBe(200);
    const listed = await (await client.fetch("/api/conversations?limit=100")).json();
    expect(listed.items).toHaveLength(30);
  });

  it("streams a reply's words as they come, not when the reply ends", async () => {
    const client = await signedInClient(nginx.url);
    const conversationId = randomUUID();
    const created = await client.json("/api/conversations", "POST", { id: conversationId });
    expect(created.status).toBe(201);
    const response = await client.send(conversationId, "Hello through the proxy");
    expect(response.status).toBe(200);
    const firstWords = await readReply(response, (read) => read.text.length > 0);
    expect(firstWords.text).not.toBe("");
    const reply = (await messagesOf(client, conversationId)).find((m) => m.role === "assistant");
    expect(reply?.status).toBe("streaming");
  });
});
