import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type RoundRobinProxy, startRoundRobinProxy } from "@/test/support/round-robin-proxy";

// The chaos test leans on this proxy; these check the properties it relies on, without an app.

interface Backend {
  url: string;
  close(): Promise<void>;
}

async function backend(
  name: string,
  handle?: (request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<Backend> {
  const server = http.createServer(
    handle ??
      ((request, response) => {
        response.setHeader("content-type", "application/json");
        response.end(JSON.stringify({ name, forwardedFor: request.headers["x-forwarded-for"] }));
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe("the round-robin test proxy", () => {
  const opened: Array<Backend | RoundRobinProxy> = [];
  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
  });

  it("alternates backends and appends the address it saw to X-Forwarded-For", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const proxy = await startRoundRobinProxy([a.url, b.url]);
    opened.push(a, b, proxy);
    const answers = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(proxy.url, { headers: { "x-forwarded-for": "203.0.113.9" } });
      answers.push(await response.json());
    }
    expect(answers.map((answer) => answer.name)).toEqual(["a", "b", "a", "b"]);
    expect(answers[0].forwardedFor).toBe("203.0.113.9, 127.0.0.1");
  });

  it("answers 502 at once for a backend that is down, and the retry goes to the other", async () => {
    const [a, b] = [await backend("a"), await backend("b")];
    const proxy = await startRoundRobinProxy([a.url, b.url]);
    opened.push(b, proxy);
    await a.close();
    const first = await fetch(proxy.url);
    expect(first.status).toBe(502);
    const names = [];
    for (let i = 0; i < 3; i++) names.push((await (await fetch(proxy.url)).json()).name);
    expect(names).toEqual(["b", "b", "b"]);

    const back = await backend("a again");
    opened.push(back);
    proxy.setBackend(0, back.url);
    const after = [];
    for (let i = 0; i < 2; i++) after.push((await (await fetch(proxy.url)).json()).name);
    expect(after.sort()).toEqual(["a again", "b"]);
  });

  it("passes an event stream through as it is written, and breaks it when the backend dies", async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const streaming = await backend("sse", (_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: one\n\n");
      // The second event only once the client has read the first: a buffering proxy would
      // never deliver the first, and this test would time out.
      void held.then(() => {
        response.write("data: two\n\n", () => response.socket?.destroy());
      });
    });
    const proxy = await startRoundRobinProxy([streaming.url]);
    opened.push(streaming, proxy);
    const response = await fetch(proxy.url);
    if (!response.body) throw new Error("no body");
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe("data: one\n\n");
    release();
    let received = "";
    const broken = await (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        received += value;
      }
    })().catch(() => true);
    expect(received).toBe("data: two\n\n");
    expect(broken).toBe(true);
  });
});
