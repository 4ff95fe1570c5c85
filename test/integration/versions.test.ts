import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, readReply, signedInClient, wordCount } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

const REPLY_WORDS = 60;

describe("versions through the API", () => {
  let server: AppServer;
  let alice: ApiClient;
  beforeAll(async () => {
    server = await startServerOn("postgres", {
      env: { OFFLINE_MODEL_TOKEN_DELAY_MS: "25", OFFLINE_MODEL_REPLY_WORDS: String(REPLY_WORDS) },
    });
    alice = await signedInClient(server.url);
  });
  afterAll(async () => {
    await server?.kill();
  });

  type Item = {
    id: string;
    content: string;
    status: string;
    depth: number;
    versionIndex: number;
    versionCount: number;
  };
  const branchOf = async (client: ApiClient, id: string) => {
    const response = await client.fetch(`/api/conversations/${id}/messages?limit=200`);
    return ((await response.json()) as { items: Item[] }).items;
  };
  const edit = (id: string, content: string, parentId: string | null | undefined) =>
    alice.json(`/api/conversations/${id}/messages`, "POST", {
      id: randomUUID(),
      content,
      parentId,
    });

  it("stores the shown version on the server: the next request, from anywhere, pages it", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "first"));
    await readReply(await alice.send(id, "second"));
    const [first, firstReply, second, secondReply] = await branchOf(alice, id);
    await readReply(await edit(id, "second, edited", firstReply?.id));

    const shown = await branchOf(alice, id);
    expect(shown.map((m) => m.id).slice(0, 2)).toEqual([first?.id, firstReply?.id]);
    expect(shown[2]).toMatchObject({ content: "second, edited", depth: 3, versionIndex: 1 });
    expect(shown[2]?.versionCount).toBe(2);

    const switched = await alice.json(`/api/conversations/${id}/switch`, "POST", {
      messageId: second?.id,
    });
    expect(switched.status).toBe(200);
    // The answer carries the branch's newest page, the same a reader then gets.
    const answer = (await switched.json()) as { leafId: string; items: Item[]; hasMore: boolean };
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
      siblingOf: second?.id,
      versionIndex: 1,
    });
    expect(await back.json()).toMatchObject({ leafId: shown.at(-1)?.id });
    expect((await branchOf(alice, id)).map((m) => m.id)).toEqual(shown.map((m) => m.id));
  });

  it("keeps a reply streaming on one branch while the person switches to another, and stores it", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "Question"));
    const [question] = await branchOf(alice, id);
    // An edit of the first message: its reply streams on the new branch.
    const streaming = await edit(id, "Question, edited", null);
    const reading = readReply(streaming);
    const switched = await alice.json(`/api/conversations/${id}/switch`, "POST", {
      messageId: question?.id,
    });
    expect(switched.status).toBe(200);
    expect((await branchOf(alice, id)).map((m) => m.id)[0]).toBe(question?.id);
    // Another turn while the reply is live is refused, whichever branch is shown.
    const clash = await alice.send(id, "Meanwhile");
    expect(clash.status).toBe(409);

    const whole = await reading;
    expect(whole.finish?.status).toBe("complete");
    expect(wordCount(whole.text)).toBe(REPLY_WORDS);
    // Still on the first branch; the edited one holds the finished reply.
    expect((await branchOf(alice, id))[0]?.id).toBe(question?.id);
    const toEdit = await alice.json(`/api/conversations/${id}/switch`, "POST", {
      siblingOf: question?.id,
      versionIndex: 1,
    });
    const { items } = (await toEdit.json()) as { items: Item[] };
    expect(items.map((m) => [m.content, m.status])).toEqual([
      ["Question, edited", "complete"],
      [whole.text, "complete"],
    ]);
  });
});
