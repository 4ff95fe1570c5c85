import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

// The export and import routes over HTTP, on the embedded database (the repository tests cover
// the three drivers). Limits are lowered so that going past them is cheap.
const MAX_BYTES = 12 * 1024 * 1024;
const MAX_CONVERSATIONS = 20;
// In what the tests import, so that finding it in the server's output finds a leak.
const LOG_MARKER = "zq-import-marker-7c1e";

const fixture = (name: string) =>
  readFileSync(path.resolve(import.meta.dirname, "../fixtures/import", name));

type Listed = { id: string; title: string | null };

async function listed(client: ApiClient): Promise<Listed[]> {
  return (await (await client.fetch("/api/conversations?limit=100")).json()).items;
}

/** A person's conversations by title, each with its messages as the API shows them. */
async function byTitle(client: ApiClient) {
  const all = await listed(client);
  const entries = await Promise.all(
    all.map(async (c) => {
      const items = await messagesOf(client, c.id);
      // Ids differ between accounts (an import derives them per person), parents with them.
      return [c.title, items.map(({ id: _id, parentId: _parent, ...rest }) => rest)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function importFile(client: ApiClient, body: BodyInit) {
  return client.fetch("/api/import", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}

/** A ChatGPT export of `count` one-message conversations. */
function chatgptFile(count: number): string {
  return JSON.stringify(
    Array.from({ length: count }, (_, i) => ({
      title: `Question ${i}`,
      create_time: 1714640400 + i,
      id: `c-${i}`,
      current_node: `n-${i}`,
      mapping: {
        [`n-${i}`]: {
          parent: null,
          message: {
            author: { role: "user" },
            content: { content_type: "text", parts: [`q${i}`] },
          },
        },
      },
    })),
  );
}

describe("export and import over HTTP", () => {
  let server: AppServer;
  let alice: ApiClient & { email: string };
  let conversationId: string;

  beforeAll(async () => {
    server = await startServerOn("pglite", {
      env: {
        IMPORT_MAX_BYTES: String(MAX_BYTES),
        IMPORT_MAX_CONVERSATIONS: String(MAX_CONVERSATIONS),
        RATE_LIMIT_SENDS_PER_MINUTE: "1000",
      },
    });
    alice = await signedInClient(server.url);
    conversationId = randomUUID();
    await readReply(await alice.send(conversationId, "Packing for Lisbon: what do I need?"));
    await readReply(await alice.send(conversationId, "And for the evenings?"));
    await readReply(await alice.send(randomUUID(), "A second chat"));
  });
  afterAll(() => server?.kill());

  it("exports one conversation as Markdown and as JSON, as an attachment with a safe name", async () => {
    const markdown = await alice.fetch(`/api/conversations/${conversationId}/export?format=md`);
    expect(markdown.status).toBe(200);
    expect(markdown.headers.get("content-type")).toContain("text/markdown");
    expect(markdown.headers.get("content-disposition")).toMatch(
      /^attachment; filename="packing-for-lisbon-what-do-i-need-\d{4}-\d{2}-\d{2}\.md"$/,
    );
    const text = await markdown.text();
    const messages = await messagesOf(alice, conversationId);
    expect(text.startsWith("# Packing for Lisbon: what do I need?\n")).toBe(true);
    for (const message of messages) expect(text).toContain(message.content.trim());
    expect(text.match(/^## (You|Assistant) · \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/gm)).toHaveLength(4);

    const json = await alice.fetch(`/api/conversations/${conversationId}/export?format=json`);
    expect(json.headers.get("content-disposition")).toMatch(/\.json"$/);
    const document = await json.json();
    expect(document).toMatchObject({ format: "chatkeep", version: 2 });
    expect(document.conversations).toHaveLength(1);
    expect(document.conversations[0].messages.map((m: { content: string }) => m.content)).toEqual(
      messages.map((m) => m.content),
    );
  });

  it("answers 404 for someone else's conversation, in either format", async () => {
    const bob = await signedInClient(server.url);
    for (const format of ["md", "json"]) {
      const response = await bob.fetch(
        `/api/conversations/${conversationId}/export?format=${format}`,
      );
      expect(response.status).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
  });

  it("round-trips the whole account into another, once: the second import is all skipped", async () => {
    const exported = await alice.fetch("/api/export");
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-disposition")).toMatch(
      /^attachment; filename="chatkeep-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const file = new Uint8Array(await exported.arrayBuffer());
    const aliceBefore = await byTitle(alice);

    const bob = await signedInClient(server.url);
    const first = await importFile(bob, file);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await first.json()).toEqual({
      format: "chatkeep",
      imported: 2,
      skipped: 0,
      failedCount: 0,
      failed: [],
    });
    expect(await byTitle(bob)).toEqual(aliceBefore);
    const bobsIds = (await listed(bob)).map((c) => c.id);
    expect(bobsIds).not.toContain(conversationId);

    const second = await importFile(bob, file);
    expect(await second.json()).toMatchObject({ imported: 0, skipped: 2, failedCount: 0 });
    expect(await listed(bob)).toHaveLength(2);
    // Only the caller's account changed.
    expect(await byTitle(alice)).toEqual(aliceBefore);
  });

  it("imports ChatGPT's conversations.json", async () => {
    const carol = await signedInClient(server.url);
    const response = await importFile(carol, fixture("chatgpt-conversations.json"));
    expect(await response.json()).toMatchObject({ format: "chatgpt", imported: 2 });
    const conversations = await byTitle(carol);
    expect(conversations["Haiku about rain"]?.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
    ]);
  });

  it("reads a file past the 10 MB Next.js buffers for its proxy: the route streams the body itself", async () => {
    const dave = await signedInClient(server.url);
    const content = "x".repeat(95_000);
    const lines = Array.from({ length: 125 }, (_, i) =>
      JSON.stringify({
        id: `m${i}`,
        sequence: i + 1,
        role: i % 2 ? "assistant" : "user",
        content,
        status: "complete",
        createdAt: "2026-01-01T00:00:00.000Z",
      }),
    );
    const file = `{"format":"chatkeep","version":1,"conversations":[{"id":"big","title":"Big","createdAt":"2026-01-01T00:00:00.000Z","updatedAt":"2026-01-01T00:00:00.000Z","messages":[${lines.join(",")}]}]}`;
    expect(file.length).toBeGreaterThan(11 * 1024 * 1024);
    const response = await importFile(dave, file);
    expect(await response.json()).toMatchObject({ imported: 1, failedCount: 0 });
    const [big] = await listed(dave);
    const page = await (await dave.fetch(`/api/conversations/${big?.id}/messages?limit=1`)).json();
    expect(page.items[0]).toMatchObject({ sequence: 125, content });
  });

  it("stops at a truncation, keeping what was stored before it and saying so", async () => {
    const erin = await signedInClient(server.url);
    const response = await importFile(erin, fixture("truncated.json"));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({
      code: "validation",
      message: expect.stringMatching(/truncated/),
    });
    expect(body.summary).toMatchObject({ imported: 1 });
    expect((await listed(erin)).map((c) => c.title)).toEqual(["Packing list"]);
  });

  it("refuses a file with too many conversations after storing as many as allowed", async () => {
    const frank = await signedInClient(server.url);
    const response = await importFile(frank, chatgptFile(MAX_CONVERSATIONS + 5));
    expect(response.status).toBe(413);
    const body = await response.json();
    expect(body.error.code).toBe("too_large");
    expect(body.error.message).toMatch(`more than ${MAX_CONVERSATIONS} conversations`);
    expect(body.summary.imported).toBe(MAX_CONVERSATIONS);
    expect(await listed(frank)).toHaveLength(MAX_CONVERSATIONS);
  });

  it("refuses a file over the size limit, declared or streamed without a length", async () => {
    const gina = await signedInClient(server.url);
    const declared = await importFile(gina, `[${" ".repeat(MAX_BYTES)}]`);
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe("too_large");

    const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(
        `${server.url}/api/import`,
        {
          method: "POST",
          agent: false,
          headers: { "content-type": "application/json", cookie: gina.cookieHeader() ?? "" },
        },
        async (response) => {
          let body = "";
          for await (const chunk of response) body += chunk;
          resolve({ status: response.statusCode ?? 0, body });
        },
      );
      request.on("error", (error) => {
        if (!request.writableEnded) return;
        reject(error);
      });
      const chunk = Buffer.alloc(256 * 1024, " ");
      let sent = 0;
      request.write("[");
      const pump = () => {
        while (sent <= MAX_BYTES && !request.destroyed) {
          sent += chunk.byteLength;
          if (!request.write(chunk)) {
            request.once("drain", pump);
            return;
          }
        }
        request.end("]");
      };
      pump();
    });
    expect(streamed.status).toBe(413);
    expect(JSON.parse(streamed.body).error.message).toMatch(/larger than the 12 MB limit/);
    expect(await listed(gina)).toEqual([]);
  });

  it("logs nothing of a conversation the database refuses: no text, no title", async () => {
    const hana = await signedInClient(server.url);
    // Dates the file's reader takes but Postgres cannot store: the INSERT itself fails.
    const chatkeep = {
      format: "chatkeep",
      version: 1,
      conversations: [
        {
          id: "year-zero",
          title: `Title ${LOG_MARKER}`,
          createdAt: "0000-01-01T00:00:00.000Z",
          updatedAt: "0000-01-01T00:00:00.000Z",
          messages: [
            {
              id: "m1",
              sequence: 1,
              role: "user",
              content: `Content ${LOG_MARKER}`,
              status: "complete",
              createdAt: "0000-01-01T00:00:00.000Z",
            },
          ],
        },
      ],
    };
    const chatgpt = JSON.parse(chatgptFile(1));
    chatgpt[0].title = `Title ${LOG_MARKER}`;
    chatgpt[0].create_time = 253_402_300_800; // the year 10000
    chatgpt[0].mapping["n-0"].message.content.parts = [`Content ${LOG_MARKER}`];
    for (const file of [chatkeep, chatgpt]) {
      const response = await importFile(hana, JSON.stringify(file));
      expect(response.status).toBeLessThan(500);
    }
  });

  // Last: everything above has run. Every text this file submits is one of the fixtures' or
  // carries the marker; titles and texts of the fixtures are checked by name.
  it("imports a version 2 tree with its current branch, exports that branch as Markdown, and fails a broken tree alone", async () => {
    const ivy = await signedInClient(server.url);
    const message = (
      id: string,
      sequence: number,
      parentId: string | null,
      versionIndex: number,
    ) => ({
      id,
      sequence,
      parentId,
      versionIndex,
      role: sequence % 2 ? "user" : "assistant",
      content: `text of ${id} ${LOG_MARKER}`,
      status: "complete",
      createdAt: "2026-01-01T00:00:00.000Z",
    });
    const conversation = (id: string, messages: unknown[], currentLeafId: string) => ({
      id,
      title: id,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      currentLeafId,
      messages,
    });
    const file = {
      format: "chatkeep",
      version: 2,
      conversations: [
        // q ─ a1, and a2 another version of the reply: the current branch.
        conversation(
          "Tree",
          [message("q", 1, null, 0), message("a1", 2, "q", 0), message("a2", 3, "q", 1)],
          "a2",
        ),
        conversation("Cycle", [message("x", 1, "y", 0), message("y", 2, "x", 0)], "y"),
      ],
    };
    const response = await importFile(ivy, JSON.stringify(file));
    expect(response.status).toBe(200);
    const summary = await response.json();
    expect(summary).toMatchObject({ format: "chatkeep", imported: 1, failedCount: 1 });
    expect(summary.failed[0]).toMatchObject({ index: 1, title: "Cycle" });
    expect(summary.failed[0].reason).toMatch(
      /^messages\.0\.parentId must be the id of an earlier message/,
    );
    const [tree, ...others] = await listed(ivy);
    expect(others).toEqual([]);
    const shown = await messagesOf(ivy, tree?.id ?? "");
    expect(shown.map((m) => [m.content, m.depth])).toEqual([
      [`text of q ${LOG_MARKER}`, 1],
      [`text of a2 ${LOG_MARKER}`, 2],
    ]);
    const markdown = await (
      await ivy.fetch(`/api/conversations/${tree?.id}/export?format=md`)
    ).text();
    expect(markdown).toContain("text of a2");
    expect(markdown).toContain("text of q");
    expect(markdown).not.toContain("text of a1");
  });

  it("printed none of the imported texts or titles to the server's output", () => {
    const output = server.output();
    for (const secret of [
      LOG_MARKER,
      "Packing for Lisbon",
      "Sourdough starter",
      "Haiku about rain",
      "correct horse battery",
    ]) {
      expect(output.split("\n").filter((line) => line.includes(secret))).toEqual([]);
    }
  });
});
