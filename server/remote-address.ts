import "server-only";
import { randomUUID } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { serverEnv } from "./env";

// Next.js sets X-Forwarded-For from the connection only when the client sent none, and keeps a
// client-sent value as is: the header alone cannot tell a proxy's entry from a forged one. So
// every request is stamped as it arrives, before Next.js sees it: the connection's address is
// appended to X-Forwarded-For (what a proxy does), and a marker header carrying a per-process
// token says the stamp happened. A client cannot forge the marker without the token.

const MARKER_HEADER = "x-chatkeep-peer";
const TOKEN = Symbol.for("chatkeep.peer-token");
const SUBSCRIBED = Symbol.for("chatkeep.peer-subscribed");

/** Where requests that arrived before the stamp was installed are counted: one shared bucket. */
export const UNVERIFIED_ADDRESS = "unverified";

type Globals = { [TOKEN]?: string; [SUBSCRIBED]?: (message: unknown) => void };

function processToken(): string {
  const globals = globalThis as Globals;
  globals[TOKEN] ??= randomUUID();
  return globals[TOKEN];
}

/**
 * Installs the stamp on every HTTP request this process serves from now on. Called once at
 * boot (instrumentation.ts); the global guard makes a second call harmless.
 */
export function stampClientAddresses(): void {
  const globals = globalThis as Globals;
  if (globals[SUBSCRIBED]) return;
  const token = processToken();
  const stamp = (message: unknown) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const peer = socket.remoteAddress ?? "unknown";
    const forwarded = request.headers["x-forwarded-for"];
    const chain = Array.isArray(forwarded) ? forwarded.join(", ") : forwarded;
    request.headers["x-forwarded-for"] = chain ? `${chain}, ${peer}` : peer;
    request.headers[MARKER_HEADER] = token;
  };
  // Kept on globalThis: a channel's subscriber must stay referenced to stay subscribed.
  globals[SUBSCRIBED] = stamp;
  diagnostics.subscribe("http.server.request.start", stamp);
}

/**
 * The client's address in a forwarding chain whose last `trustedHops` entries were written by
 * trusted proxies, the rightmost being the connection itself: the `trustedHops`-th entry from
 * the right (the rule of `proxy-addr` with a hop count). A chain shorter than that gives its
 * leftmost entry.
 */
export function addressFromChain(forwardedFor: string, trustedHops: number): string {
  const entries = forwardedFor
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return UNVERIFIED_ADDRESS;
  return entries[Math.max(0, entries.length - 1 - trustedHops)] ?? UNVERIFIED_ADDRESS;
}

/**
 * The caller's address for per-address rate limits, from a request's headers (a route's
 * `request.headers`, or `await headers()` in a server action). With TRUSTED_PROXY_HOPS=0 it is
 * the connection's address whatever the client writes; behind N proxies, the address the
 * outermost trusted proxy saw.
 */
export function clientAddress(headers: Headers): string {
  const hops = serverEnv().TRUSTED_PROXY_HOPS;
  const chain = headers.get("x-forwarded-for") ?? "";
  if (headers.get(MARKER_HEADER) === processToken()) return addressFromChain(chain, hops);
  // No stamp: a host that runs the app without our HTTP server (serverless functions), or a
  // request from the moment before the stamp was installed. Behind trusted proxies the chain
  // they wrote still says who connected, one entry shorter (our stamp adds the connection);
  // with no trusted proxy nothing about the request can be believed.
  return hops > 0 ? addressFromChain(chain, hops - 1) : UNVERIFIED_ADDRESS;
}
