// The cluster's primary: forks the workers (each a whole Next.js server, scripts/serve/
// worker.mjs), which share one listening port through node:cluster; replaces one that dies
// (scripts/serve/restart-policy.mjs); and on SIGTERM or SIGINT passes the signal to every worker
// and exits once all have drained. It serves no request itself.
import cluster from "node:cluster";
import { afterWorkerDeath } from "./restart-policy.mjs";

const log = (line) => console.log(`[primary] ${line}`);

/** @param {{ workers: number }} options */
export function runPrimary({ workers }) {
  log(`serving from ${workers} worker${workers === 1 ? "" : "s"} (pid ${process.pid})`);
  /** @type {Map<number, { slot: number, forkedAt: number }>} by cluster worker id */
  const live = new Map();
  const pendingReplacements = new Set();
  let anyWorkerReady = false;
  let quickDeaths = 0;
  let stopping = false;
  let exitCode = 0;

  const fork = (slot) => {
    const worker = cluster.fork({ CHATKEEP_WORKER: String(slot) });
    live.set(worker.id, { slot, forkedAt: Date.now() });
    log(`worker ${slot} started (pid ${worker.process.pid})`);
    worker.once("listening", () => {
      anyWorkerReady = true;
    });
  };

  const stop = (signal, code) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    for (const timer of pendingReplacements) clearTimeout(timer);
    pendingReplacements.clear();
    if (live.size === 0) process.exit(exitCode);
    log(`${signal}: stopping ${live.size} worker${live.size === 1 ? "" : "s"}`);
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };

  cluster.on("exit", (worker, code, signal) => {
    const entry = live.get(worker.id);
    live.delete(worker.id);
    if (!entry) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    log(`worker ${entry.slot} (pid ${worker.process.pid}) exited (${how})`);
    if (stopping) {
      if (live.size === 0) process.exit(exitCode);
      return;
    }
    const next = afterWorkerDeath({
      livedMs: Date.now() - entry.forkedAt,
      anyWorkerReady,
      quickDeaths,
    });
    if (next.action === "stop") {
      console.error(`[primary] giving up: ${next.reason}`);
      stop("SIGTERM", 1);
      return;
    }
    quickDeaths = next.quickDeaths;
    log(`replacing worker ${entry.slot}${next.delayMs ? ` in ${next.delayMs / 1000} s` : ""}`);
    const timer = setTimeout(() => {
      pendingReplacements.delete(timer);
      fork(entry.slot);
    }, next.delayMs);
    pendingReplacements.add(timer);
  });

  // As `next start` exits after a signal: 128 + its number.
  process.on("SIGTERM", () => stop("SIGTERM", 143));
  process.on("SIGINT", () => stop("SIGINT", 130));
  for (let slot = 1; slot <= workers; slot++) fork(slot);
}
