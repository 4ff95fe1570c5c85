import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { ChaosLoad, type LoadClient, type Role } from "@/test/support/chaos-load";
import { type RoundRobinProxy, startRoundRobinProxy } from "@/test/support/round-robin-proxy";
import { migratedPostgres } from "./servers";

// Two instances on one Postgres behind a round-robin proxy, each killed with SIGKILL and
// restarted several times while clients send, follow and stop replies through the proxy. What
// must hold afterwards is read from the database itself and through the API.

const LEASE_MS = 3000;
const KILLS_PER_INSTANCE = 3;
// Load on both instances between kills; with the restarts this makes about 80 s of chaos.
const PAUSE_BETWEEN_KILLS_MS = 9000;
const ROLES: Role[] = ["reader", "reader", "stopper", "stopper", "follower", "follower"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ApiMessage {
  id: string;
  role: string;
  sequence: number;
  status: string;
}

/** A whole conversation through the API, page by page (a page holds at most 200). */
async function wholeConversation(api: ApiClient, conversationId: string): Promise<ApiMessage[]> {
  const all: ApiMessage[] = [];
  let before: number | undefined;
  for (;;) {
    const query = before === undefined ? "limit=200" : `limit=200&before=${before}`;
    const response = await api.fetch(`/api/conversations/${conversationId}/messages?${query}`);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { items: ApiMessage[]; hasMore: boolean };
    all.unshift(...page.items);
    if (!page.hasMore || page.items.length === 0) return all;
    before = page.items[0]?.sequence;
  }
}

describe("chaos: two instances behind a proxy, killed and restarted under load", () => {
  let databaseUrl: string;
  const instances: AppServer[] = [];
  let proxy: RoundRobinProxy;

  beforeAll(async () => {
    databaseUrl = await migratedPostgres();
    const env = {
      DATABASE_URL: databaseUrl,
      REPLY_LEASE_MS: String(LEASE_MS),
      OFFLINE_MODEL_TOKEN_DELAY_MS: "10",
      OFFLINE_MODEL_REPLY_WORDS: "30",
      // Every client comes through the proxy, from one address.
      TRUSTED_PROXY_HOPS: "1",
      RATE_LIMIT_SENDS_PER_MINUTE: "100000",
      RATE_LIMIT_LOGINS_PER_MINUTE: "1000",
      RATE_LIMIT_REGISTRATIONS_PER_HOUR: "1000",
    };
    instances.push(...(await Promise.all([startAppServer({ env }), startAppServer({ env })])));
    proxy = await startRoundRobinProxy(instances.map((instance) => instance.url));
  });

  afterAll(async () => {
    await proxy?.close();
    for (const instance of instances) await instance.kill();
  });

  it("keeps every acknowledged message once, sequences whole, no reply live after its lease, and every interrupted reply continuable", async () => {
    const began = Date.now();
    const clients: LoadClient[] = await Promise.all(
      ROLES.map(async (role, index) => ({
        name: `client ${index} (${role})`,
        api: await signedInClient(proxy.url),
        role,
        conversations: Array.from({ length: 1 + (index % 2) }, () => randomUUID()),
      })),
    );
    // The last person has a second tab open on their first conversation: the two send into it
    // at once, so one often finds the other's reply in progress (409) and follows it first.
    const person = clients[clients.length - 1] as LoadClient;
    clients.push({
      ...person,
      name: `${person.name}, second tab`,
      api: person.api.withBaseUrl(proxy.url),
      conversations: person.conversations.slice(0, 1),
    });
    const load = new ChaosLoad(clients, { thinkMs: 100 });
    load.start();
    // Should anything below throw, the clients stop too (a no-op once the load has drained).
    onTestFinished(() => load.stop(0));

    let kills = 0;
    for (let round = 0; round < KILLS_PER_INSTANCE; round++) {
      for (const index of [0, 1]) {
        await sleep(PAUSE_BETWEEN_KILLS_MS);
        const victim = instances[index] as AppServer;
        await victim.kill("SIGKILL");
        kills++;
        // Same port, so the proxy's slot points at it again; the proxy answers 502 meanwhile.
        const restarted = await startAppServer({ env: victim.env, port: victim.port });
        instances[index] = restarted;
        proxy.setBackend(index, restarted.url);
      }
    }
    // The last instance restarted takes its share again before the load stops.
    await sleep(3000);
    await load.stop(30_000);
    // Replies cut off by the last kill are not live any more once their leases have run out.
    await sleep(LEASE_MS + 500);

    const { stats } = load;
    let continued = 0;
    const summary = () =>
      `chaos: ${stats.acknowledged.size} messages acknowledged, ${stats.retries} retries ` +
      `(${stats.brokenStreams} broken streams, ${stats.conflicts} 409s followed), ` +
      `${stats.stops} stops, ${stats.follows} follows, ${stats.continues} continues, ${kills} kills, ` +
      `${proxy.stats.badGateway} 502s, ${continued} interrupted replies continued at the end, ` +
      `${Math.round((Date.now() - began) / 1000)} s`;
    onTestFinished(() => console.log(summary()));

    expect(stats.unexpected).toEqual([]);
    const sentNeverAcknowledged = [...stats.sent.keys()].filter(
      (id) => !stats.acknowledged.has(id),
    );
    expect(sentNeverAcknowledged).toEqual([]);

    // The database: every acknowledged message exactly once, in its conversation, and nothing
    // else; one reply per message; sequences 1..n in every conversation.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{
        id: string;
        conversation_id: string;
        role: string;
        sequence: number;
        reply_to: string | null;
      }>("select id, conversation_id, role, sequence, reply_to from messages");
      const userRows = rows.filter((row) => row.role === "user");
      const replies = rows.filter((row) => row.role === "assistant");
      expect(new Set(userRows.map((row) => row.id)).size).toBe(userRows.length);
      const stored = new Map(userRows.map((row) => [row.id, row.conversation_id]));
      const missing = [...stats.acknowledged].filter(([id, conv]) => stored.get(id) !== conv);
      const neverSent = [...stored.keys()].filter((id) => !stats.sent.has(id));
      expect({ missing, neverSent }).toEqual({ missing: [], neverSent: [] });
      expect(userRows.length).toBe(stats.acknowledged.size);

      const repliesPerMessage = new Map<string, number>();
      for (const reply of replies) {
        const to = reply.reply_to ?? "none";
        repliesPerMessage.set(to, (repliesPerMessage.get(to) ?? 0) + 1);
      }
      const withoutOneReply = userRows.filter((row) => repliesPerMessage.get(row.id) !== 1);
      expect(withoutOneReply).toEqual([]);
      expect(replies.length).toBe(userRows.length);

      const { rows: counters } = await db.query<{ id: string; last_sequence: number }>(
        "select id, last_sequence from conversations",
      );
      for (const { id, last_sequence } of counters) {
        const sequences = rows
          .filter((row) => row.conversation_id === id)
          .map((row) => row.sequence)
          .sort((a, b) => a - b);
        expect(sequences, `conversation ${id}`).toEqual(
          Array.from({ length: sequences.length }, (_, i) => i + 1),
        );
        expect(last_sequence, `conversation ${id}`).toBe(sequences.length);
      }
    } finally {
      await db.end();
    }

    // Through the API: nothing reads as streaming once leases have run out, every interrupted
    // reply continues to the end, and every conversation still takes messages.
    const conversations = new Map(
      clients.flatMap((client) => client.conversations.map((id) => [id, client.api] as const)),
    );
    for (const [conversationId, api] of conversations) {
      const messages = await wholeConversation(api, conversationId);
      expect(messages.filter((m) => m.status === "streaming")).toEqual([]);
      for (const reply of messages.filter((m) => m.status === "interrupted")) {
        const response = await api.json(`/api/conversations/${conversationId}/continue`, "POST", {
          messageId: reply.id,
        });
        expect(response.status).toBe(200);
        expect((await readReply(response)).finish?.status).toBe("complete");
        continued++;
      }
      const after = await wholeConversation(api, conversationId);
      const unfinished = after.filter(
        (m) => m.role === "assistant" && !["complete", "stopped"].includes(m.status),
      );
      expect(unfinished).toEqual([]);
      // Nothing is wedged: the conversation takes a new message and answers it.
      const next = await api.send(conversationId, "After the chaos");
      expect(next.status).toBe(200);
      expect((await readReply(next)).finish?.status).toBe("complete");
    }

    expect(kills).toBe(2 * KILLS_PER_INSTANCE);
    // The kills did cut replies off; otherwise this test proved nothing about them.
    expect(continued + stats.continues).toBeGreaterThan(0);
  }, 180_000);
});
