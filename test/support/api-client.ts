import { randomUUID } from "node:crypto";
import type { ReplyChunk, ReplyMetadata } from "@/lib/reply-stream";

/** A plain HTTP client with a cookie jar: what any non-browser client of the API would do. */
export class ApiClient {
  private readonly cookies = new Map<string, string>();

  constructor(public baseUrl: string) {}

  /** The same signed-in person talking to another instance. */
  withBaseUrl(baseUrl: string): ApiClient {
    const other = new ApiClient(baseUrl);
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    return other;
  }

  /** The Cookie header this client sends, for requests made without `fetch`. */
  cookieHeader(): string | undefined {
    if (!this.cookies.size) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** Puts a cookie in the jar as if the server had set it: a forged or crafted session. */
  setCookie(name: string, value: string): this {
    this.cookies.set(name, value);
    return this;
  }

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader();
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(`${this.baseUrl}${pathname}`, {
      ...init,
      headers,
      redirect: "manual",
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const index = pair?.indexOf("=") ?? -1;
      if (!pair || index < 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (value === "" || /max-age=0|expires=thu, 01 jan 1970/i.test(line))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  json(pathname: string, method: string, body?: unknown): Promise<Response> {
    return this.fetch(pathname, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async register(email: string, password: string): Promise<Response> {
    return this.json("/api/register", "POST", { email, password });
  }

  /** Signs in through Auth.js's own endpoints: CSRF token, then the credentials callback. */
  async signIn(email: string, password: string): Promise<Response> {
    const csrf = await this.fetch("/api/auth/csrf");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    return this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, email, password }).toString(),
    });
  }

  hasSession(): boolean {
    return [...this.cookies.keys()].some((name) => name.endsWith("authjs.session-token"));
  }

  send(conversationId: string, content: string, id: string = randomUUID()) {
    return this.json(`/api/conversations/${conversationId}/messages`, "POST", { id, content });
  }
}

/** A new person with an account and a session. */
export async function signedInClient(baseUrl: string): Promise<ApiClient & { email: string }> {
  const client = new ApiClient(baseUrl);
  const email = `person-${randomUUID()}@example.test`;
  const password = "correct horse battery";
  const registered = await client.register(email, password);
  if (registered.status !== 201) throw new Error(`register: ${registered.status}`);
  const signedIn = await client.signIn(email, password);
  if (!client.hasSession()) throw new Error(`sign-in failed: ${signedIn.status}`);
  return Object.assign(client, { email });
}

export interface ReadReply {
  chunks: ReplyChunk[];
  text: string;
  start?: ReplyMetadata;
  finish?: ReplyMetadata;
  error?: string;
}

/**
 * Reads a UI message stream response. Stops early, cancelling the body, once `until` holds for
 * what was read so far (e.g. "ten words in").
 */
export async function readReply(
  response: Response,
  until?: (read: ReadReply) => boolean,
): Promise<ReadReply> {
  const read: ReadReply = { chunks: [], text: "" };
  if (!response.body) return read;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let index = buffer.indexOf("\n\n");
    while (index >= 0) {
      const event = buffer.slice(0, index);
      buffer = buffer.slice(index + 2);
      index = buffer.indexOf("\n\n");
      const data = event.replace(/^data: /, "");
      if (!data || data === "[DONE]") continue;
      const chunk = JSON.parse(data) as ReplyChunk;
      read.chunks.push(chunk);
      if (chunk.type === "text-delta") read.text += chunk.delta;
      if (chunk.type === "start") read.start = chunk.messageMetadata;
      if (chunk.type === "finish") read.finish = chunk.messageMetadata;
      if (chunk.type === "error") read.error = chunk.errorText;
    }
    if (until?.(read)) {
      await reader.cancel();
      break;
    }
  }
  return read;
}

export async function messagesOf(client: ApiClient, conversationId: string) {
  const response = await client.fetch(`/api/conversations/${conversationId}/messages?limit=200`);
  const body = (await response.json()) as {
    items: Array<{
      id: string;
      role: string;
      content: string;
      sequence: number;
      parentId: string | null;
      depth: number;
      versionIndex: number;
      versionCount: number;
      status: string;
      model: string | null;
      endpoint: string | null;
      error: string | null;
    }>;
  };
  return body.items;
}

export const wordCount = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;
