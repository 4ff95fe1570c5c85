import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MESSAGE_CHARS } from "@/lib/validation";
import { type ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { backends, startServerOn } from "./servers";

describe.each(backends)("the JSON API on %s", (backend) => {
  let server: AppServer;
  let alice: ApiClient;
  let bob: ApiClient;
  beforeAll(async () => {
    server = await startServerOn(backend);
    [alice, bob] = await Promise.all([signedInClient(server.url), signedInClient(server.url)]);
  });
  afterAll(() => server?.kill());

  it("creates, lists, reads, renames and deletes conversations", async () => {
    const id = randomUUID();
    const created = await alice.json("/api/conversations", "POST", { id, title: "Trip" });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id, title: "Trip" });
    const untitled = await (await alice.json("/api/conversations", "POST")).json();
    expect(untitled.title).toBeNull();

    const list = await (await alice.fetch("/api/conversations?limit=1")).json();
    expect(list.items).toHaveLength(1);
    expect(list.nextCursor).toEqual(expect.any(String));
    const rest = await (
      await alice.fetch(`/api/conversations?limit=10&cursor=${encodeURIComponent(list.nextCursor)}`)
    ).json();
    expect([...list.items, ...rest.items].map((c: { id: string }) => c.id).sort()).toEqual(
      [id, untitled.id].sort(),
    );

    expect((await alice.fetch(`/api/conversations/${id}`)).status).toBe(200);
    const renamed = await alice.json(`/api/conversations/${id}`, "PATCH", { title: "Lisbon" });
    expect(await renamed.json()).toMatchObject({ id, title: "Lisbon" });
    expect((await alice.json(`/api/conversations/${id}`, "DELETE")).status).toBe(204);
    expect((await alice.fetch(`/api/conversations/${id}`)).status).toBe(404);
  });

  it("hides one person's conversations from another behind 404s", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "Private thoughts"));
    const attempts: Array<[string, string, unknown]> = [
      ["GET", `/api/conversations/${id}`, undefined],
      ["PATCH", `/api/conversations/${id}`, { title: "mine now" }],
      ["DELETE", `/api/conversations/${id}`, undefined],
      ["GET", `/api/conversations/${id}/messages`, undefined],
      ["POST", `/api/conversations/${id}/messages`, { id: randomUUID(), content: "hi" }],
      ["GET", `/api/conversations/${id}/stream`, undefined],
      ["POST", `/api/conversations/${id}/stop`, undefined],
      [
        "POST",
        `/api/conversations/${id}/regenerate`,
        { messageId: randomUUID(), mode: "regenerate" },
      ],
    ];
    for (const [method, path, body] of attempts) {
      const response = await bob.json(path, method, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
    const bobs = await (await bob.fetch("/api/conversations")).json();
    expect(bobs.items.map((c: { id: string }) => c.id)).not.toContain(id);
    const messages = await messagesOf(alice, id);
    expect(messages.map((m) => m.content)).toEqual(["Private thoughts", expect.any(String)]);
  });

  it("sends a message, streams the reply, and pages the stored history", async () => {
    const id = randomUUID();
    const messageId = randomUUID();
    const response = await alice.send(id, "What is a keyset cursor?", messageId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reply = await readReply(response);
    expect(reply.text).toContain("“What is a keyset cursor?”");
    expect(reply.finish?.status).toBe("complete");

    const page = await (await alice.fetch(`/api/conversations/${id}/messages?limit=1`)).json();
    expect(page).toMatchObject({ hasMore: true, items: [{ role: "assistant", sequence: 2 }] });
    expect(page.items[0].content).toBe(reply.text);
    const older = await (await alice.fetch(`/api/conversations/${id}/messages?before=2`)).json();
    expect(older).toMatchObject({
      hasMore: false,
      items: [{ id: messageId, role: "user", sequence: 1, status: "complete" }],
    });
    const conversation = await (await alice.fetch(`/api/conversations/${id}`)).json();
    expect(conversation.title).toBe("What is a keyset cursor?");
  });

  it("rejects bad input with a clear 4xx and stores nothing", async () => {
    const id = randomUUID();
    const bad: Array<[unknown, number]> = [
      [{ id: randomUUID(), content: "" }, 400],
      [{ id: randomUUID(), content: "   " }, 400],
      [{ id: randomUUID(), content: "nul\u0000byte" }, 400],
      [{ id: randomUUID(), content: 42 }, 400],
      [{ id: "not-a-uuid", content: "hi" }, 400],
      [{ content: "no id" }, 400],
      [{ id: randomUUID(), content: "x".repeat(MAX_MESSAGE_CHARS + 1) }, 413],
      // Within the size limit, but more than the model's context could ever hold.
      [{ id: randomUUID(), content: "word ".repeat(8_000) }, 413],
    ];
    for (const [body, status] of bad) {
      const response = await alice.json(`/api/conversations/${id}/messages`, "POST", body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      const error = await response.json();
      expect(error.error.message).toEqual(expect.any(String));
    }
    const huge = await alice.fetch(`/api/conversations/${id}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: randomUUID(), content: "y".repeat(2_000_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await alice.fetch(`/api/conversations/not-a-uuid`)).status).toBe(400);
    expect((await alice.fetch(`/api/conversations?limit=1000`)).status).toBe(400);
    expect((await alice.fetch(`/api/conversations?cursor=forged`)).status).toBe(400);
    expect((await alice.json(`/api/conversations/${id}`, "PATCH", { title: "" })).status).toBe(400);
    // Nothing was stored: the conversation does not exist.
    expect((await alice.fetch(`/api/conversations/${id}`)).status).toBe(404);
  });

  it("keeps script in message content as inert text", async () => {
    const id = randomUUID();
    const content = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    await readReply(await alice.send(id, content));
    const [stored] = await messagesOf(alice, id);
    expect(stored?.content).toBe(content);
    const response = await alice.fetch(`/api/conversations/${id}/messages`);
    expect(response.headers.get("content-type")).toContain("application/json");
  });
});
