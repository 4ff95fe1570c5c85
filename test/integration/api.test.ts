import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { backends, startServerOn } from "./servers";

describe.each(backends)("the JSON API on %s", (backend) => {
  let server: AppServer;
  let alice: ApiClient;
  beforeAll(async () => {
    server = await startServerOn(backend);
    alice = await signedInClient(server.url);
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

  // What the browser does with markup in a reply is e2e territory; here: the API neither
  // escapes, strips nor interprets it, and serves it only inside JSON.
  it("stores markup in message content verbatim and serves it as JSON, never as HTML", async () => {
    const id = randomUUID();
    const content = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    await readReply(await alice.send(id, content));
    const [stored] = await messagesOf(alice, id);
    expect(stored?.content).toBe(content);
    const response = await alice.fetch(`/api/conversations/${id}/messages`);
    expect(response.headers.get("content-type")).toContain("application/json");
  });
});
