// CPU time spent during a phase of the load bench, by process: the app server (one or several
// worker processes), the model server, Postgres and the load generator, read from /proc
// (Linux): where an operation's cost lies, not only how many there are.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function statFields(pid: number | string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name: the 4th field (ppid) is at index 1, utime
    // and stime (14th and 15th) at 11 and 12, cutime and cstime (16th and 17th) at 13 and 14.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined; // the process ended meanwhile
  }
}

function processTicks(pid: number | string): number {
  const fields = statFields(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

function postgresPids(): string[] {
  return readdirSync("/proc").filter((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    try {
      return readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres";
    } catch {
      return false; // gone meanwhile
    }
  });
}

/** The postmaster listening on `port` (its command line has `-p <port>`), if it runs here. */
function findPostmaster(port: string): string | undefined {
  return postgresPids().find((pid) => {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
      return args.some((arg, i) => arg === "-p" && args[i + 1] === port);
    } catch {
      return false;
    }
  });
}

/**
 * Our Postgres's CPU: the postmaster's, its live children's, and the children it has reaped
 * (their time is added to its cutime/cstime), so backends that end during a phase still count
 * and other Postgres servers on a shared machine do not. Without a postmaster of ours (an
 * external TEST_DATABASE_URL), every process named postgres.
 */
function postgresTicks(postmaster: string | undefined): number {
  const pids = postgresPids();
  if (postmaster === undefined) return pids.reduce((sum, pid) => sum + processTicks(pid), 0);
  let ticks = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    if (!fields) continue;
    if (pid === postmaster) ticks += fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
    else if (fields[1] === postmaster) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/** The processes a phase is metered on, besides Postgres and the load generator itself. */
export interface MeteredProcesses {
  /** The app server's processes (its workers), read at the start and at the end of the phase. */
  server: () => number[];
  /** The model server, when the model is remote. */
  model?: number;
  /** The database the phase uses: its server's processes are the Postgres part. */
  postgresUrl?: string;
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
  const port = processes.postgresUrl && new URL(processes.postgresUrl).port;
  const postmaster = port ? findPostmaster(port) : undefined;
  const postgres = postgresTicks(postmaster);
  const load = process.cpuUsage();
  return () => {
    const loadUsage = process.cpuUsage(load);
    return {
      serverMs: tickMs(serverTicksSince(server, processes.server())),
      modelMs: processes.model === undefined ? 0 : tickMs(processTicks(processes.model) - model),
      postgresMs: tickMs(postgresTicks(postmaster) - postgres),
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
