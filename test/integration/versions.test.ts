import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMessage, type DatabaseHandle, openDatabase } from "@/db";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

// The API has no way yet to write a second version, so the fork is written beside the server,
// into its Postgres database; the switch and what the next reader sees go through the API.
describe("switching versions through the API", () => {
  let server: AppServer;
  let alice: ApiClient;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    server = await startServerOn("postgres");
    alice = await signedInClient(server.url);
    handle = await openDatabase({ url: server.env.DATABASE_URL as string, driver: "pg" });
  });
  afterAll(async () => {
    await handle?.close();
    await server?.kill();
  });

  type Item = { id: string; depth: number; versionIndex: number; versionCount: number };
  const branchOf = async (client: ApiClient, id: string) => {
    const response = await client.fetch(`/api/conversations/${id}/messages?limit=200`);
    return ((await response.json()) as { items: Item[] }).items;
  };

  it("stores the shown version on the server: the next request, from anywhere, pages it", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "first"));
    await readReply(await alice.send(id, "second"));
    const [first, firstReply, second, secondReply] = await branchOf(alice, id);
    const result = await handle.db.execute(sql`select user_id from conversations where id = ${id}`);
    const [{ user_id: userId }] = (result as unknown as { rows: [{ user_id: string }] }).rows;
    const edited = await addMessage(handle.db, {
      id: randomUUID(),
      conversationId: id,
      userId,
      role: "user",
      content: "second, edited",
      parentId: firstReply?.id,
    });

    const shown = await branchOf(alice, id);
    expect(shown.map((m) => m.id)).toEqual([first?.id, firstReply?.id, edited.id]);
    expect(shown[2]).toMatchObject({ depth: 3, versionIndex: 1, versionCount: 2 });

    const switched = await alice.json(`/api/conversations/${id}/switch`, "POST", {
      messageId: second?.id,
    });
    expect(switched.status).toBe(200);
    // The answer carries the branch's newest page, the same a reader then gets.
    const answer = (await switched.json()) as {
      leafId: string;
      items: unknown[];
      hasMore: boolean;
    };
    expect(answer).toMatchObject({ leafId: secondReply?.id, hasMore: false });
    // Another device: the same session, nothing in common with this client but the server.
    const elsewhere = alice.withBaseUrl(server.url);
    const after = await branchOf(elsewhere, id);
    expect(after.map((m) => m.id)).toEqual(
      [first, firstReply, second, secondReply].map((m) => m?.id),
    );
    expect(after[2]).toMatchObject({ versionIndex: 0, versionCount: 2 });
    expect(answer.items).toEqual(after);

    const back = await elsewhere.json(`/api/conversations/${id}/switch`, "POST", {
      messageId: edited.id,
    });
    expect(await back.json()).toMatchObject({ leafId: edited.id });
    expect((await branchOf(alice, id)).map((m) => m.id)).toEqual(shown.map((m) => m.id));
  });
});
