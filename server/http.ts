import "server-only";
import type { z } from "zod";
import { isDatabaseUnavailable } from "@/db";
import {
  AppError,
  CrossSiteError,
  RateLimitedError,
  TooLargeError,
  ValidationError,
} from "@/lib/errors";
import { logError } from "@/lib/log";
import type { ReplyBatch } from "@/lib/reply-stream";
import { parseInput } from "@/lib/validation";
import { serverEnv } from "./env";
import { REPLY_STREAM_HEADERS, replyEventStream } from "./reply-sse";
import { isCrossSiteRequest, isJsonContentType, SAFE_METHODS } from "./request-origin";

/** Largest JSON body accepted: a maximal message, escaped, with room to spare. */
export const MAX_BODY_BYTES = 1_000_000;

type Handler<P> = (request: Request, params: P) => Promise<Response>;

export interface ApiRouteOptions {
  /**
   * Accept bodies that are not JSON (Auth.js's form posts, which carry Auth.js's own CSRF
   * token). The cross-site check still applies.
   */
  acceptForms?: boolean;
}

/**
 * Wraps a route handler: typed errors become `{ error: { code, message } }` with their status,
 * an unreachable database becomes 503 with Retry-After, and anything else is logged and
 * answered with a generic 500 that leaks nothing. A request that changes something must come
 * from one of our pages or a non-browser client (403 otherwise) and be JSON (415 otherwise):
 * a cross-site form can send neither JSON nor a same-origin `Origin`.
 */
export function apiRoute<P = Record<string, never>>(
  handler: Handler<P>,
  options: ApiRouteOptions = {},
) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    try {
      if (!SAFE_METHODS.has(request.method)) assertSameSiteJson(request, options);
      return await handler(request, await context.params);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

function assertSameSiteJson(request: Request, options: ApiRouteOptions) {
  if (isCrossSiteRequest(request.headers, serverEnv().TRUSTED_PROXY_HOPS)) {
    throw new CrossSiteError();
  }
  if (!options.acceptForms && !isJsonContentType(request.headers.get("content-type"))) {
    throw new AppError("unsupported_media_type", "Send the request as application/json");
  }
}

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.code === "rate_limited" || error.code === "unavailable") {
      headers["Retry-After"] = String(retryAfterSeconds(error));
    }
    return Response.json(error.toJSON(), { status: error.status, headers });
  }
  if (isDatabaseUnavailable(error)) {
    logError("[api] database unavailable", error);
    return Response.json(
      { error: { code: "unavailable", message: "The database is unavailable; try again shortly" } },
      { status: 503, headers: { "Retry-After": "5" } },
    );
  }
  logError("[api] unexpected error", error);
  return Response.json(
    { error: { code: "internal", message: "Something went wrong" } },
    { status: 500 },
  );
}

function retryAfterSeconds(error: AppError): number {
  return error instanceof RateLimitedError ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : 5;
}

/** Reads and validates a JSON body: 413 when too large, 400 when malformed or invalid. */
export async function readJson<T extends z.ZodType>(
  request: Request,
  schema: T,
): Promise<z.output<T>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new TooLargeError("Request body is too large");
  const text = await readCapped(request, MAX_BODY_BYTES);
  let body: unknown;
  try {
    body = text.length ? JSON.parse(text) : undefined;
  } catch {
    throw new ValidationError("Request body must be valid JSON");
  }
  return parseInput(schema, body);
}

/** The body as text, refusing (413) as soon as it grows past `limit` bytes, declared or not. */
async function readCapped(request: Request, limit: number): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new TooLargeError("Request body is too large");
    chunks.push(chunk);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
  } catch {
    // Decoding leniently would store U+FFFD in place of the bytes the client sent.
    throw new ValidationError("Request body must be UTF-8");
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Validates query parameters (strings) against a schema; 400 when invalid. */
export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.output<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  return parseInput(schema, params);
}

/** A reply as a Server-Sent Events response (server/reply-sse.ts). */
export function replyStreamResponse(batches: ReadableStream<ReplyBatch>): Response {
  return new Response(replyEventStream(batches), { headers: REPLY_STREAM_HEADERS });
}
