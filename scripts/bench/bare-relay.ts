// The physical limit of relaying a remote model, for the load bench's replies section: a plain
// `node:http` server (no Next.js, no sign-in, no database) that, for each request, asks the model
// server (BARE_RELAY_MODEL_URL, ending in /v1) for a streamed completion and relays each word
// to its client as a Server-Sent Event. Run as its own process
// (`node --import tsx scripts/bench/bare-relay.ts`); prints its URL, stops on SIGTERM.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const modelUrl = process.env.BARE_RELAY_MODEL_URL;
if (!modelUrl) throw new Error("BARE_RELAY_MODEL_URL is required (the model server's /v1 URL)");

interface Chunk {
  choices?: { delta?: { content?: string } }[];
}

async function relay(response: ServerResponse) {
  const upstream = await fetch(`${modelUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer bench" },
    body: JSON.stringify({
      model: "bench",
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: "user", content: "Hello" }],
    }),
  });
  if (!upstream.ok || !upstream.body) {
    response.writeHead(502).end();
    return;
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  let buffer = "";
  for await (const text of upstream.body.pipeThrough(new TextDecoderStream())) {
    const events = (buffer + text).split("\n\n");
    buffer = events.pop() ?? "";
    for (const event of events) {
      if (!event.startsWith("data: {")) continue; // [DONE] ends the stream on its own
      const delta = (JSON.parse(event.slice(6)) as Chunk).choices?.[0]?.delta?.content;
      if (delta) response.write(`data: ${JSON.stringify({ delta })}\n\n`);
    }
  }
  response.end("data: [DONE]\n\n");
}

const server = createServer((_request, response) => {
  relay(response).catch(() => response.destroy());
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

process.once("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
