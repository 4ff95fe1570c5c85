import { createConnection } from "node:net";
import { WebSocketServer } from "ws";

export interface NeonProxy {
  /** host:port/path to hand to the Neon driver as its wsProxy. */
  address: string;
  close(): Promise<void>;
}

/**
 * The piece of Neon's edge that the serverless driver talks to: each WebSocket carries one
 * Postgres connection, relayed byte for byte to the TCP address named in `?address=`. Lets the
 * Neon driver run against a local Postgres. Only loopback targets are relayed.
 */
export async function startNeonProxy(): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0, path: "/v1" });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));

  server.on("connection", (socket, request) => {
    const target = new URL(request.url ?? "", "http://proxy").searchParams.get("address") ?? "";
    const match = /^(localhost|127\.0\.0\.1):(\d+)$/.exec(target);
    if (!match) {
      socket.close(1008, "address must be a loopback host:port");
      return;
    }
    const tcp = createConnection({ host: "127.0.0.1", port: Number(match[2]) });
    const pending: Buffer[] = [];
    tcp.on("connect", () => {
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    socket.on("message", (data: Buffer) => {
      if (tcp.connecting) pending.push(data);
      else tcp.write(data);
    });
    tcp.on("data", (chunk) => socket.send(chunk));
    tcp.on("close", () => socket.close());
    tcp.on("error", () => socket.terminate());
    socket.on("close", () => tcp.end());
    socket.on("error", () => tcp.destroy());
  });

  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}
