import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiClient,
  messagesOf,
  readReply,
  signedInClient,
  wordCount,
} from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { backends, startServerOn } from "./servers";

const REPLY_WORDS = 60;

describe.each(backends)("the chat flow on %s", (backend) => {
  let server: AppServer;
  let alice: ApiClient;
  beforeAll(async () => {
    server = await startServerOn(backend, {
      env: { OFFLINE_MODEL_TOKEN_DELAY_MS: "25", OFFLINE_MODEL_REPLY_WORDS: String(REPLY_WORDS) },
    });
    alice = await signedInClient(server.url);
  });
  afterAll(() => server?.kill());

  it("rebuilds the model's context from the database on every turn", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "First question"));
    const second = await readReply(await alice.send(id, "Second question"));
    expect(second.text).toContain("I received 3 messages of context");
    expect(second.text).toContain("Your first message was “First question”");
    expect(second.text).toContain("Your latest message is “Second question”");
  });

  it("answers a resent message with the stored reply and stores nothing twice", async () => {
    const id = randomUUID();
    const messageId = randomUUID();
    const first = await readReply(await alice.send(id, "Only once", messageId));
    const retry = await readReply(await alice.send(id, "Only once", messageId));
    expect(retry.text).toBe(first.text);
    expect(retry.start?.replyId).toBe(first.start?.replyId);
    expect(retry.finish?.status).toBe("complete");
    expect((await messagesOf(alice, id)).map((m) => m.role)).toEqual(["user", "assistant"]);
    const changed = await alice.send(id, "Changed text", messageId);
    expect(changed.status).toBe(409);
  });

  it("follows the live reply when a message is resent while it streams", async () => {
    const id = randomUUID();
    const messageId = randomUUID();
    const first = alice.send(id, "Patience", messageId);
    const firstRead = readReply(await first);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const retry = await readReply(await alice.send(id, "Patience", messageId));
    expect(retry.text).toBe((await firstRead).text);
    expect(wordCount(retry.text)).toBe(REPLY_WORDS);
    expect(await messagesOf(alice, id)).toHaveLength(2);
  });

  it("refuses a second message while a reply is in progress, storing nothing", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "Warm up"));
    const [one, two] = await Promise.all([alice.send(id, "Tab one"), alice.send(id, "Tab two")]);
    const statuses = [one.status, two.status].sort();
    expect(statuses).toEqual([200, 409]);
    const winner = one.status === 200 ? one : two;
    await readReply(winner);
    const loser = one.status === 200 ? two : one;
    expect(await loser.json()).toMatchObject({ error: { code: "conflict" } });
    const stored = await messagesOf(alice, id);
    expect(stored.map((m) => m.sequence)).toEqual([1, 2, 3, 4]);
  });

  it("keeps generating after the client goes away, and resumes from the start", async () => {
    const id = randomUUID();
    const partial = await readReply(await alice.send(id, "Tell me a story"), (r) =>
      r.text.includes("context."),
    );
    expect(partial.finish).toBeUndefined();
    const resumed = await alice.fetch(`/api/conversations/${id}/stream`);
    expect(resumed.status).toBe(200);
    const whole = await readReply(resumed);
    expect(whole.text.startsWith(partial.text)).toBe(true);
    expect(wordCount(whole.text)).toBe(REPLY_WORDS);
    expect(whole.finish?.status).toBe("complete");
    const [, reply] = await messagesOf(alice, id);
    expect(reply).toMatchObject({ status: "complete", content: whole.text });
    expect((await alice.fetch(`/api/conversations/${id}/stream`)).status).toBe(204);
  });

  /** A reply stopped half-way, checked to keep the text it streamed. */
  async function stoppedReply(id: string) {
    const response = await alice.send(id, "Go on and on");
    const reading = readReply(response);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stop = await alice.json(`/api/conversations/${id}/stop`, "POST");
    expect(stop.status).toBe(200);
    const streamed = await reading;
    expect(streamed.finish?.status).toBe("stopped");
    const [, stopped] = await messagesOf(alice, id);
    expect(stopped?.status).toBe("stopped");
    expect(stopped?.content).toBe(streamed.text);
    expect(wordCount(stopped?.content ?? "")).toBeGreaterThan(0);
    expect(wordCount(stopped?.content ?? "")).toBeLessThan(REPLY_WORDS);
    return { id: stopped?.id ?? "", content: stopped?.content ?? "" };
  }

  it("stops a reply, keeps its text, then continues it to the whole reply", async () => {
    const id = randomUUID();
    const stopped = await stoppedReply(id);
    const continued = await readReply(
      await alice.json(`/api/conversations/${id}/continue`, "POST", { messageId: stopped.id }),
    );
    expect(continued.text.startsWith(stopped.content)).toBe(true);
    expect(wordCount(continued.text)).toBe(REPLY_WORDS);
    const [, whole] = await messagesOf(alice, id);
    expect(whole).toMatchObject({ id: stopped.id, status: "complete", content: continued.text });

    const replyId = randomUUID();
    const regenerated = await readReply(
      await alice.json(`/api/conversations/${id}/regenerate`, "POST", {
        messageId: stopped.id,
        replyId,
      }),
    );
    expect(regenerated.start?.replyId).toBe(replyId);
    expect(regenerated.text).toBe(continued.text);
    // A new version of the reply is shown; the one it replaces is one switch away.
    const [, version] = await messagesOf(alice, id);
    expect(version).toMatchObject({ id: replyId, versionIndex: 1, versionCount: 2 });
    const back = await alice.json(`/api/conversations/${id}/switch`, "POST", {
      siblingOf: replyId,
      versionIndex: 0,
    });
    expect(await back.json()).toMatchObject({ leafId: stopped.id });
    const [, old] = await messagesOf(alice, id);
    expect(old).toMatchObject({ id: stopped.id, content: continued.text, versionIndex: 0 });
    // The same regenerate again (a retry) makes no third version.
    await readReply(
      await alice.json(`/api/conversations/${id}/regenerate`, "POST", {
        messageId: stopped.id,
        replyId,
      }),
    );
    const [, still] = await messagesOf(alice, id);
    expect(still).toMatchObject({ versionCount: 2 });
  });

  it("edits a message: a new version with its own reply, the version it replaces kept", async () => {
    const id = randomUUID();
    await readReply(await alice.send(id, "First question"));
    await readReply(await alice.send(id, "Second question"));
    const [first, firstReply, second] = await messagesOf(alice, id);
    const editId = randomUUID();
    const edited = await readReply(
      await alice.json(`/api/conversations/${id}/messages`, "POST", {
        id: editId,
        content: "Second question, edited",
        parentId: firstReply?.id,
      }),
    );
    expect(edited.finish?.status).toBe("complete");
    const shown = await messagesOf(alice, id);
    expect(shown.map((m) => [m.content.slice(0, 24), m.versionIndex, m.versionCount])).toEqual([
      [first?.content.slice(0, 24), 0, 1],
      [firstReply?.content.slice(0, 24), 0, 1],
      ["Second question, edited", 1, 2],
      [edited.text.slice(0, 24), 0, 1],
    ]);
    // Back to the first version of the second question: its old reply is still there.
    await alice.json(`/api/conversations/${id}/switch`, "POST", { messageId: second?.id });
    expect((await messagesOf(alice, id)).map((m) => m.id).slice(0, 3)).toEqual([
      first?.id,
      firstReply?.id,
      second?.id,
    ]);
    // An edit of the first message starts a new root; an unknown parent is 404 and stores nothing.
    await readReply(
      await alice.json(`/api/conversations/${id}/messages`, "POST", {
        id: randomUUID(),
        content: "Start again",
        parentId: null,
      }),
    );
    const [root] = await messagesOf(alice, id);
    expect(root).toMatchObject({ content: "Start again", depth: 1, versionCount: 2 });
    const stray = await alice.json(`/api/conversations/${id}/messages`, "POST", {
      id: randomUUID(),
      content: "Lost",
      parentId: randomUUID(),
    });
    expect(stray.status).toBe(404);
  });

  it('still continues a reply through …/regenerate with mode "continue", as older clients do', async () => {
    const id = randomUUID();
    const stopped = await stoppedReply(id);
    const continued = await readReply(
      await alice.json(`/api/conversations/${id}/regenerate`, "POST", {
        messageId: stopped.id,
        mode: "continue",
      }),
    );
    expect(continued.text.startsWith(stopped.content)).toBe(true);
    expect(wordCount(continued.text)).toBe(REPLY_WORDS);
    const [, whole] = await messagesOf(alice, id);
    expect(whole).toMatchObject({ id: stopped.id, status: "complete", content: continued.text });
  });

  it("answers stop with nothing to stop, and regenerate of a live reply with 409", async () => {
    const id = randomUUID();
    const reading = readReply(await alice.send(id, "Busy"), (r) => r.text.length > 0);
    const { start } = await reading;
    const clash = await alice.json(`/api/conversations/${id}/regenerate`, "POST", {
      messageId: start?.replyId,
    });
    expect(clash.status).toBe(409);
    await readReply(await alice.fetch(`/api/conversations/${id}/stream`));
    const idle = await alice.json(`/api/conversations/${id}/stop`, "POST");
    expect(await idle.json()).toEqual({ stopped: null });
  });
});
