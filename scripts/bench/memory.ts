// The memory section of the load bench: the server's RSS after a warm-up and a full GC, then
// after 1,000 and MEMORY_TURNS turns, each read before and after a full GC (forced through the
// inspector).
import { readFileSync } from "node:fs";
import WebSocket from "ws";
import { startAppServer } from "@/test/support/app-server";
import { freePort } from "@/test/support/postgres";
import { migrated, unlimited } from "./app-servers";
import { people, turn } from "./load-client";
import { log, type Row, sleep } from "./load-table";

const MEMORY_TURNS = Number(process.env.BENCH_MEMORY_TURNS ?? 10_000);

const signed = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(0)}`;

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kib / 1024;
}

/** Asks the server's V8 for a full garbage collection through its inspector. */
async function collectGarbage(inspectorPort: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const target = targets[0]?.webSocketDebuggerUrl;
  if (!target) throw new Error("no inspector target");
  const socket = new WebSocket(target);
  await new Promise((resolve, reject) => {
    socket.once("open", resolve);
    socket.once("error", reject);
  });
  await new Promise<void>((resolve) => {
    socket.on("message", (data) => {
      if (JSON.parse(String(data)).id === 1) resolve();
    });
    socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" }));
  });
  socket.close();
}

export async function memorySection(adminUrl: string): Promise<Row[]> {
  const inspectorPort = await freePort();
  const server = await startAppServer({
    env: {
      DATABASE_URL: await migrated(adminUrl),
      ...unlimited,
      OFFLINE_MODEL_TOKEN_DELAY_MS: "0",
      OFFLINE_MODEL_REPLY_WORDS: "30",
      NODE_OPTIONS: `--inspect=127.0.0.1:${inspectorPort}`,
    },
  });
  try {
    const clients = await people(server.url, 16);
    let sent = 0;
    // Each person keeps to a few conversations, as people do.
    const conversations = clients.map(() => Array.from({ length: 5 }, () => crypto.randomUUID()));
    const runTurns = async (until: number) => {
      await Promise.all(
        clients.map(async (client, index) => {
          while (sent < until) {
            sent++;
            const own = conversations[index] ?? [];
            await turn(client, own[sent % own.length] ?? "", `Memory turn ${sent}`);
          }
        }),
      );
    };
    log("memory: warm-up…");
    await runTurns(200);
    await collectGarbage(inspectorPort);
    const before = rssMiB(server.pid);
    log("memory: 1,000 turns…");
    await runTurns(1200);
    const afterThousand = rssMiB(server.pid);
    // Also after a collection: RSS between collections depends on when V8 last ran one, so
    // what stays held is read after a full GC at both points.
    await collectGarbage(inspectorPort);
    await sleep(1000);
    const afterThousandGc = rssMiB(server.pid);
    log(`memory: ${MEMORY_TURNS} turns…`);
    await runTurns(200 + MEMORY_TURNS);
    const afterAll = rssMiB(server.pid);
    await collectGarbage(inspectorPort);
    await sleep(1000);
    const afterGc = rssMiB(server.pid);
    return [
      {
        section: "server memory (RSS)",
        model: "offline",
        workers: "1",
        measure: `after 1,000 / ${MEMORY_TURNS} turns`,
        value: `${afterThousand.toFixed(0)} / ${afterAll.toFixed(0)} MiB`,
        baseline: `${before.toFixed(0)} MiB after warm-up and GC`,
        ratio: `+${(afterAll - afterThousand).toFixed(0)} MiB from 1,000 to ${MEMORY_TURNS}`,
      },
      {
        section: "server memory (RSS)",
        model: "offline",
        workers: "1",
        measure: `after 1,000 / ${MEMORY_TURNS} turns, each after a full GC`,
        value: `${afterThousandGc.toFixed(0)} / ${afterGc.toFixed(0)} MiB`,
        baseline: `${before.toFixed(0)} MiB after warm-up and GC`,
        ratio: `${signed(afterGc - afterThousandGc)} MiB from 1,000 to ${MEMORY_TURNS}; ${signed(afterGc - before)} MiB over the start`,
      },
    ];
  } finally {
    await server.kill();
  }
}
