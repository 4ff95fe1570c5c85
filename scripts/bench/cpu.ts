// CPU time spent during a phase of the load bench, by process: the app server (one or several
// worker processes), the model server, Postgres and the load generator, read from /proc
// (Linux): where an operation's cost lies, not only how many there are.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function processTicks(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // the process ended meanwhile
  }
}

function postgresTicks(): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") {
        ticks += processTicks(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

/** The processes a phase is metered on, besides Postgres and the load generator itself. */
export interface MeteredProcesses {
  /** The app server's processes (its workers), read at the start and at the end of the phase. */
  server: () => number[];
  /** The model server, when the model is remote. */
  model?: number;
}

export interface CpuSplit {
  serverMs: number;
  modelMs: number;
  postgresMs: number;
  loadMs: number;
}

// Per pid, so a worker that appears or goes during the phase counts for the part it was seen.
function ticksByPid(pids: number[]): Map<number, number> {
  return new Map(pids.map((pid) => [pid, processTicks(pid)]));
}

function serverTicksSince(before: Map<number, number>, pids: number[]): number {
  let ticks = 0;
  for (const pid of new Set([...before.keys(), ...pids])) {
    const now = pids.includes(pid) ? processTicks(pid) : 0;
    ticks += Math.max(0, now - (before.get(pid) ?? 0));
  }
  return ticks;
}

const tickMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;

/** Starts counting; the returned function gives the CPU milliseconds spent since. */
export function cpuMeter(processes: MeteredProcesses): () => CpuSplit {
  const server = ticksByPid(processes.server());
  const model = processes.model === undefined ? 0 : processTicks(processes.model);
  const postgres = postgresTicks();
  const load = process.cpuUsage();
  return () => {
    const loadUsage = process.cpuUsage(load);
    return {
      serverMs: tickMs(serverTicksSince(server, processes.server())),
      modelMs: processes.model === undefined ? 0 : tickMs(processTicks(processes.model) - model),
      postgresMs: tickMs(postgresTicks() - postgres),
      loadMs: (loadUsage.user + loadUsage.system) / 1000,
    };
  };
}

/** The split divided by the operations done in the phase. */
export function perOperation(split: CpuSplit, operations: number): CpuSplit {
  const each = (value: number) => (operations > 0 ? value / operations : Number.NaN);
  return {
    serverMs: each(split.serverMs),
    modelMs: each(split.modelMs),
    postgresMs: each(split.postgresMs),
    loadMs: each(split.loadMs),
  };
}

/** "server 4.1 / model 0.8 / Postgres 1.2 / load 2.0 ms" (no model part when it had none). */
export function describeCpu(split: CpuSplit, withModel: boolean): string {
  const parts = [`server ${split.serverMs.toFixed(1)}`];
  if (withModel) parts.push(`model ${split.modelMs.toFixed(1)}`);
  parts.push(`Postgres ${split.postgresMs.toFixed(1)}`, `load ${split.loadMs.toFixed(1)} ms`);
  return parts.join(" / ");
}
