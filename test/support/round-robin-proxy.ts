import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A small load balancer for tests: each request goes to the next backend in turn, skipping one
 * that refused a connection within the last `downForMs`. A backend that cannot be reached is
 * answered with a quick 502, so the client's retry lands on another instance. Responses are
 * piped through as they arrive (a Server-Sent Events stream is not buffered), and a backend that
 * dies mid-response breaks the client's connection too, as a real proxy would, instead of
 * ending the response cleanly.
 */
export interface RoundRobinProxy {
  url: string;
  /** Points slot `index` at `url` (an instance restarted on a new port) and clears its down mark. */
  setBackend(index: number, url: string): void;
  readonly stats: { forwarded: number; badGateway: number; broken: number };
  close(): Promise<void>;
}

interface Backend {
  url: URL;
  downUntil: number;
}

// Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are not forwarded.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())),
  );
}

/** The request's headers as the backend should see them: this proxy appended to the chain. */
function forwardedHeaders(request: IncomingMessage): IncomingHttpHeaders {
  const headers = endToEnd(request.headers);
  const peer = request.socket.remoteAddress ?? "unknown";
  const chain = request.headers["x-forwarded-for"];
  const prior = Array.isArray(chain) ? chain.join(", ") : chain;
  headers["x-forwarded-for"] = prior ? `${prior}, ${peer}` : peer;
  headers["x-forwarded-host"] ??= request.headers.host;
  headers["x-forwarded-proto"] ??= "http";
  return headers;
}

export async function startRoundRobinProxy(
  urls: string[],
  options: { downForMs?: number } = {},
): Promise<RoundRobinProxy> {
  const downForMs = options.downForMs ?? 1000;
  const backends: Backend[] = urls.map((url) => ({ url: new URL(url), downUntil: 0 }));
  const stats = { forwarded: 0, badGateway: 0, broken: 0 };
  let turn = 0;

  const choose = (): Backend => {
    const now = Date.now();
    for (let tried = 0; tried < backends.length; tried++) {
      const backend = backends[turn++ % backends.length] as Backend;
      if (backend.downUntil <= now) return backend;
    }
    // All marked down: try the next one anyway, one of them may be back.
    return backends[turn++ % backends.length] as Backend;
  };

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    const backend = choose();
    stats.forwarded++;
    const upstream = http.request({
      host: backend.url.hostname,
      port: backend.url.port,
      method: request.method,
      path: request.url,
      headers: forwardedHeaders(request),
      // A fresh connection each time: a pooled one to a killed instance would fail late.
      agent: false,
    });
    upstream.on("response", (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      response.flushHeaders();
      answer.pipe(response);
      answer.on("close", () => {
        if (answer.complete) return;
        stats.broken++;
        // Closing the connection without the chunked terminator, after what was already
        // received has been flushed: the client reads a truncated response, not a clean end.
        response.socket?.end();
      });
    });
    let clientGone = false;
    upstream.on("error", () => {
      if (clientGone) return;
      if (response.headersSent) {
        response.destroy();
        return;
      }
      backend.downUntil = Date.now() + downForMs;
      stats.badGateway++;
      response.writeHead(502, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { code: "bad_gateway", message: "Backend down" } }));
    });
    // The client went away (a cancelled stream): let the backend see it go.
    response.on("close", () => {
      if (response.writableFinished) return;
      clientGone = true;
      upstream.destroy();
    });
    request.pipe(upstream);
  };

  const server = http.createServer(forward);
  server.on("connection", (socket: Socket) => socket.setNoDelay(true));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    stats,
    setBackend(index, url) {
      backends[index] = { url: new URL(url), downUntil: 0 };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
