import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

interface Hit {
  conversation: { id: string; title: string | null };
  message: { id: string; role: string; sequence: number } | null;
  createdAt: string;
  snippet: Array<{ text: string; match: boolean }>;
}

// The repository is tested on every driver (db/search.test.ts); this is the HTTP contract.
describe("GET /api/search and around=", () => {
  let server: AppServer;
  let alice: ApiClient;
  let bob: ApiClient;
  beforeAll(async () => {
    server = await startServerOn("pglite");
    alice = await signedInClient(server.url);
    bob = await signedInClient(server.url);
  });
  afterAll(() => server?.kill());

  const search = async (client: ApiClient, query: string) => {
    const response = await client.fetch(`/api/search?q=${encodeURIComponent(query)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("application/json");
    return (await response.json()) as { items: Hit[]; nextCursor: string | null };
  };

  it("finds only the caller's messages, with snippets as marked text", async () => {
    const mine = randomUUID();
    const theirs = randomUUID();
    await readReply(await alice.send(mine, "My <b>walrus</b> recipe"));
    await readReply(await bob.send(theirs, "Bob's walrus recipe"));

    const found = await search(alice, "walrus rec");
    // The first user message titles the conversation, so the title matches too.
    expect(found.items.map((hit) => [hit.conversation.id, hit.message?.role ?? "title"])).toEqual(
      expect.arrayContaining([
        [mine, "user"],
        [mine, "title"],
      ]),
    );
    expect(found.items.every((hit) => hit.conversation.id === mine)).toBe(true);
    const message = found.items.find((hit) => hit.message?.role === "user");
    expect(message?.message?.sequence).toBe(1);
    expect(message?.snippet.filter((s) => s.match).map((s) => s.text)).toEqual([
      "walrus",
      "recipe",
    ]);
    expect(message?.snippet.map((s) => s.text).join("")).toBe("My <b>walrus</b> recipe");

    const bobs = await search(bob, "walrus");
    expect(bobs.items.every((hit) => hit.conversation.id === theirs)).toBe(true);
    expect(bobs.items.length).toBeGreaterThan(0);
    for (const hostile of ["'", "\\", ":*", "&|!()", "a:* & ('"]) {
      await search(alice, hostile);
    }
  });

  it("serves a page around a sequence, and the pages after it", async () => {
    const id = randomUUID();
    for (let i = 1; i <= 3; i++) await readReply(await alice.send(id, `turn ${i}`));
    const around = await (
      await alice.fetch(`/api/conversations/${id}/messages?around=3&limit=2`)
    ).json();
    expect(around.items.map((m: { sequence: number }) => m.sequence)).toEqual([2, 3]);
    expect(around).toMatchObject({ hasMore: true, hasNewer: true });
    const after = await (
      await alice.fetch(`/api/conversations/${id}/messages?after=3&limit=10`)
    ).json();
    expect(after.items.map((m: { sequence: number }) => m.sequence)).toEqual([4, 5, 6]);
    expect(after.hasNewer).toBe(false);
    expect((await bob.fetch(`/api/conversations/${id}/messages?around=3`)).status).toBe(404);
  });
});
