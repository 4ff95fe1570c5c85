import { randomUUID } from "node:crypto";
import type { ReplyMetadata } from "@/lib/reply-stream";
import { type ApiClient, readReply, wordCount } from "./api-client";

/**
 * What a client does with a reply once its message is in: reads it to the end (and continues
 * it if it comes back interrupted, as a person clicking Continue), stops it a few words in, or
 * drops the sending request a few words in and follows the reply with `GET …/stream`, as a
 * reloaded page would.
 */
export type Role = "reader" | "stopper" | "follower";

export interface LoadClient {
  name: string;
  api: ApiClient;
  role: Role;
  conversations: string[];
}

export interface LoadStats {
  /** Every message id a client sent, at least once, with its conversation. */
  sent: Map<string, string>;
  /**
   * Every message id the server acknowledged, with its conversation. Acknowledged means a send
   * answered 200: the turn (message and empty reply) is committed before the response starts,
   * so a 200 says the message is stored, whatever happens to the stream afterwards.
   */
  acknowledged: Map<string, string>;
  /** Sends of an id already sent once (after a failure, a 409 or a broken stream). */
  retries: number;
  /** 409s "a reply is already in progress", followed to their end before sending again. */
  conflicts: number;
  /** Reply streams that broke before `finish` (the instance died, or a 502 on a follow). */
  brokenStreams: number;
  stops: number;
  follows: number;
  /** Interrupted replies that a reader continued while the chaos went on. */
  continues: number;
  /** Answers that no server should give, even during chaos: 500s, unexpected 4xx. */
  unexpected: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Back-off between attempts at one message: 100 ms doubling to 1 s, ±20%. */
const backoff = (attempt: number) =>
  Math.min(1000, 100 * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);

/**
 * Longest any one request may take, its stream included: a reply is 30 words, and a follow of
 * one whose server died ends when its lease runs out. Longer means a reply that never ends.
 */
const REQUEST_TIMEOUT_MS = 20_000;

/** Expected while instances are being killed: the proxy's 502, or a connection dropped. */
const isTransient = (status: number) => status === 502 || status === 503;

/**
 * Clients that send continuously, each message with a client-generated id retried until it is
 * acknowledged, like the browser's outbox: network errors, 5xx and streams that end without
 * `finish` send the same id again (the server answers a stored message with its reply, replayed
 * or followed); a 409 for a reply in progress is followed to its end, then the message is sent
 * again.
 */
export class ChaosLoad {
  readonly stats: LoadStats = {
    sent: new Map(),
    acknowledged: new Map(),
    retries: 0,
    conflicts: 0,
    brokenStreams: 0,
    stops: 0,
    follows: 0,
    continues: 0,
    unexpected: [],
  };
  private stopping = false;
  private deadline = Number.POSITIVE_INFINITY;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly clients: LoadClient[],
    private readonly options: { thinkMs: number },
  ) {}

  start() {
    this.workers = this.clients.map((client) => this.run(client));
  }

  /**
   * Sends no new messages; the ones under way get `drainMs` to be acknowledged and their
   * replies read, then their clients give up (and the test sees them unacknowledged).
   */
  async stop(drainMs: number) {
    this.stopping = true;
    this.deadline = Date.now() + drainMs;
    await Promise.all(this.workers);
  }

  private async run(client: LoadClient) {
    for (let n = 0; !this.stopping; n++) {
      const conversationId = client.conversations[n % client.conversations.length] as string;
      await this.deliver(client, conversationId, {
        id: randomUUID(),
        content: `${client.name}, message ${n}`,
      });
      await sleep(this.options.thinkMs);
    }
  }

  private async deliver(
    client: LoadClient,
    conversationId: string,
    message: { id: string; content: string },
  ) {
    this.stats.sent.set(message.id, conversationId);
    let waited = false;
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        if (Date.now() > this.deadline) return;
        this.stats.retries++;
        // After following the reply in the way to its end, the way is clear now.
        if (!waited) await sleep(backoff(attempt));
        waited = false;
      }
      const response = await this.request(
        client,
        `/api/conversations/${conversationId}/messages`,
        "POST",
        message,
      ).catch((error) => this.noteTimeout("send", error));
      if (!response) continue;
      if (response.status === 200) {
        this.stats.acknowledged.set(message.id, conversationId);
        const ended = await this.readTurn(client, conversationId, response);
        const finish = ended?.finish;
        if (finish?.status === "interrupted" && client.role === "reader") {
          await this.continueReply(client, conversationId, finish.replyId);
        }
        if (ended) return;
        this.stats.brokenStreams++;
        continue;
      }
      const body = await response.text().catch(() => null);
      // The answer broke off (its instance died between headers and body): try again.
      if (body === null) continue;
      if (response.status === 409 && body.includes("already in progress")) {
        this.stats.conflicts++;
        waited = await this.follow(client, conversationId);
        continue;
      }
      if (isTransient(response.status)) continue;
      this.stats.unexpected.push(`send: ${response.status} ${body}`);
      // A 4xx will not change by sending the same request again.
      if (response.status < 500) return;
    }
  }

  /**
   * Reads the reply the way the client's role does. Null when the stream broke before the end;
   * otherwise the `finish` chunk's metadata, when the client saw it.
   */
  private async readTurn(
    client: LoadClient,
    conversationId: string,
    response: Response,
  ): Promise<{ finish?: ReplyMetadata } | null> {
    try {
      if (client.role === "follower") {
        const first = await readReply(response, (r) => !!r.finish || wordCount(r.text) >= 3);
        if (first.finish) return { finish: first.finish };
        return (await this.follow(client, conversationId)) ? {} : null;
      }
      let stopping: Promise<void> | undefined;
      const read = await readReply(response, (r) => {
        if (client.role === "stopper" && !stopping && !r.finish && wordCount(r.text) >= 3) {
          stopping = this.stopReply(client, conversationId);
        }
        return false;
      });
      await stopping;
      return read.finish ? { finish: read.finish } : null;
    } catch (error) {
      return this.noteTimeout("reply", error);
    }
  }

  /** Continues an interrupted reply; a few tries, then it is left to the test's own check. */
  private async continueReply(client: LoadClient, conversationId: string, replyId: string) {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        const response = await this.request(
          client,
          `/api/conversations/${conversationId}/continue`,
          "POST",
          { messageId: replyId },
        );
        if (response.status === 200) {
          this.stats.continues++;
          await readReply(response);
          return;
        }
        const body = await response.text();
        // 409: it is being generated again already (another client continued it).
        if (response.status === 409) return;
        if (!isTransient(response.status)) {
          this.stats.unexpected.push(`continue: ${response.status} ${body}`);
          return;
        }
      } catch (error) {
        // The instance died under the request (or under the continued reply): try again.
        this.noteTimeout("continue", error);
      }
      await sleep(backoff(attempt));
    }
  }

  /** Follows the conversation's live reply to its end; true when it ended (or none was live). */
  private async follow(client: LoadClient, conversationId: string): Promise<boolean> {
    this.stats.follows++;
    try {
      const response = await this.request(client, `/api/conversations/${conversationId}/stream`);
      if (response.status === 204) return true;
      if (response.status === 200) return (await readReply(response)).finish !== undefined;
      const body = await response.text();
      if (!isTransient(response.status)) {
        this.stats.unexpected.push(`stream: ${response.status} ${body}`);
      }
      return false;
    } catch (error) {
      this.noteTimeout("follow", error);
      return false;
    }
  }

  private async stopReply(client: LoadClient, conversationId: string) {
    this.stats.stops++;
    try {
      const response = await this.request(
        client,
        `/api/conversations/${conversationId}/stop`,
        "POST",
      );
      const body = await response.text();
      if (response.status !== 200 && !isTransient(response.status)) {
        this.stats.unexpected.push(`stop: ${response.status} ${body}`);
      }
    } catch (error) {
      // The instance died under the request: the reply is interrupted instead of stopped.
      this.noteTimeout("stop", error);
    }
  }

  /** A request with the JSON body and headers the API wants, bounded by REQUEST_TIMEOUT_MS. */
  private request(client: LoadClient, pathname: string, method = "GET", body?: unknown) {
    return client.api.fetch(pathname, {
      method,
      headers: method === "GET" ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  }

  /** A request (or its stream) that outlived REQUEST_TIMEOUT_MS is a wedged reply, not chaos. */
  private noteTimeout(what: string, error: unknown): null {
    if (error instanceof Error && error.name === "TimeoutError") {
      this.stats.unexpected.push(`${what}: no end within ${REQUEST_TIMEOUT_MS / 1000} s`);
    }
    return null;
  }
}
