import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

describe("branching into a new conversation, and opening a message, through the app", () => {
  let server: AppServer;
  let alice: ApiClient;
  let bob: ApiClient;
  beforeAll(async () => {
    server = await startServerOn("postgres");
    alice = await signedInClient(server.url);
    bob = await signedInClient(server.url);
  });
  afterAll(async () => {
    await server?.kill();
  });

  type Item = { id: string; content: string; depth: number };
  const branchOf = async (client: ApiClient, id: string) => {
    const response = await client.fetch(`/api/conversations/${id}/messages?limit=200`);
    return ((await response.json()) as { items: Item[] }).items;
  };

  it("forks at an edited-away message: 201, then 200 with the same conversation, 409 elsewhere", async () => {
    const source = randomUUID();
    await readReply(await alice.send(source, "first"));
    const [first, firstReply] = await branchOf(alice, source);
    // An edit of the first message leaves its branch one switch away.
    const edit = await alice.json(`/api/conversations/${source}/messages`, "POST", {
      id: randomUUID(),
      content: "first, edited",
      parentId: null,
    });
    await readReply(edit);

    const conversationId = randomUUID();
    const body = { messageId: firstReply?.id, conversationId };
    const made = await alice.json(`/api/conversations/${source}/fork`, "POST", body);
    expect(made.status).toBe(201);
    const conversation = await made.json();
    expect(conversation).toMatchObject({ id: conversationId, title: "first" });
    expect(Object.keys(conversation).sort()).toEqual(["createdAt", "id", "model", "title", "updatedAt"]);
    const again = await alice.json(`/api/conversations/${source}/fork`, "POST", body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(conversation);

    const copied = await branchOf(alice, conversationId);
    expect(copied.map((m) => [m.content, m.depth])).toEqual([
      [first?.content, 1],
      [firstReply?.content, 2],
    ]);
    // The source still shows the edit.
    expect((await branchOf(alice, source))[0]?.content).toBe("first, edited");

    const taken = await alice.json(`/api/conversations/${source}/fork`, "POST", {
      messageId: first?.id,
      conversationId,
    });
    expect(taken.status).toBe(409);
    const notHers = await bob.json(`/api/conversations/${source}/fork`, "POST", {
      messageId: first?.id,
      conversationId: randomUUID(),
    });
    expect(notHers.status).toBe(404);
  });

  it("opens a message's page on its branch, and none of another user's", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "about a lighthouse"));
    const [message] = await branchOf(alice, id);
    await readReply(
      await alice.json(`/api/conversations/${id}/messages`, "POST", {
        id: randomUUID(),
        content: "about harbours",
        parentId: null,
      }),
    );
    const opened = await alice.fetch(`/c/${id}?message=${message?.id}`);
    expect(opened.status).toBe(200);
    await opened.text();
    expect((await branchOf(alice, id))[0]?.content).toBe("about a lighthouse");
    // An old link by sequence: the edit is sequence 3.
    await (await alice.fetch(`/c/${id}?m=3`)).text();
    expect((await branchOf(alice, id))[0]?.content).toBe("about harbours");

    const bobs = randomUUID();
    await readReply(await bob.send(bobs, "bob's own"));
    expect((await bob.fetch(`/c/${bobs}?message=${message?.id}`)).status).toBe(404);
    expect((await bob.fetch(`/c/${id}?message=${message?.id}`)).status).toBe(404);
  });
});
