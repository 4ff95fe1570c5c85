// What the load generator does as the people of the load bench: sign up, send a message and
// read its whole reply, read their conversations back.
import type { ModelRef } from "@/lib/model-ref";
import { type ApiClient, readReply, signedInClient } from "@/test/support/api-client";

export type Person = ApiClient & { email: string };

export async function people(url: string, count: number): Promise<Person[]> {
  const clients: Person[] = [];
  // A few at a time: registration and sign-in hash passwords (Argon2), on purpose slowly.
  for (let start = 0; start < count; start += 8) {
    const batch = Math.min(8, count - start);
    clients.push(...(await Promise.all(Array.from({ length: batch }, () => signedInClient(url)))));
  }
  return clients;
}

export interface TurnResult {
  ok: boolean;
  /** Why a turn failed: its HTTP status, how its reply ended, or "network". */
  failure?: string;
  ttfb: number;
  total: number;
  /** Words of the reply read, to check that both models say as much. */
  words: number;
}

// The model a server's new chats start on, by server: the browser sends the model it shows with
// every turn (decision 43), so the bench does too. Asked once per server, on its first turn.
const shownModels = new Map<string, Promise<ModelRef>>();

/** Forgets the servers' models: a new server may take a port an old one had. */
export function forgetShownModels() {
  shownModels.clear();
}

function shownModel(client: ApiClient): Promise<ModelRef> {
  let model = shownModels.get(client.baseUrl);
  if (!model) {
    model = client
      .fetch("/api/models")
      .then((response) => response.json() as Promise<{ default: ModelRef }>)
      .then((body) => body.default);
    shownModels.set(client.baseUrl, model);
  }
  return model;
}

/** One message and its whole reply; the time to the response's headers and to `finish`. */
export async function turn(
  client: ApiClient,
  conversationId: string,
  content: string,
  /** A model the person chose; absent: the one their new chat shows. */
  chosen?: ModelRef,
): Promise<TurnResult> {
  const model = chosen ?? (await shownModel(client));
  const began = performance.now();
  try {
    const response = await client.json(`/api/conversations/${conversationId}/messages`, "POST", {
      id: crypto.randomUUID(),
      content,
      model,
    });
    const ttfb = performance.now() - began;
    if (response.status !== 200) {
      await response.body?.cancel();
      const total = performance.now() - began;
      return { ok: false, failure: String(response.status), ttfb, total, words: 0 };
    }
    const read = await readReply(response);
    const ok = read.finish?.status === "complete";
    const failure = ok ? undefined : `reply ${read.finish?.status ?? "cut off"}`;
    const words = read.text.split(/\s+/).filter(Boolean).length;
    return { ok, failure, ttfb, total: performance.now() - began, words };
  } catch {
    const total = performance.now() - began;
    return { ok: false, failure: "network", ttfb: Number.NaN, total, words: 0 };
  }
}

/** " (503 ×3, network ×1)": what the failed turns met, for the table. */
export function describeFailures(results: { failure?: string }[]): string {
  const counts = new Map<string, number>();
  for (const { failure } of results)
    if (failure) counts.set(failure, (counts.get(failure) ?? 0) + 1);
  if (counts.size === 0) return "";
  return ` (${[...counts].map(([failure, count]) => `${failure} ×${count}`).join(", ")})`;
}

/** Each client runs `step` back to back until `seconds` have passed; returns every result. */
export async function sustain<C, T>(
  clients: C[],
  seconds: number,
  step: (client: C, index: number, round: number) => Promise<T>,
): Promise<{ results: T[]; elapsed: number }> {
  const results: T[] = [];
  const began = performance.now();
  const deadline = began + seconds * 1000;
  await Promise.all(
    clients.map(async (client, index) => {
      for (let round = 0; performance.now() < deadline; round++) {
        results.push(await step(client, index, round));
      }
    }),
  );
  return { results, elapsed: (performance.now() - began) / 1000 };
}

async function read(client: ApiClient, pathname: string): Promise<boolean> {
  try {
    const response = await client.fetch(pathname);
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** The cheapest authenticated read: the newest conversation of the list. */
export const listRead = (client: ApiClient) => read(client, "/api/conversations?limit=1");

/** What opening a conversation reads: its latest 50 messages. */
export const historyRead = (client: ApiClient, conversationId: string) =>
  read(client, `/api/conversations/${conversationId}/messages?limit=50`);
