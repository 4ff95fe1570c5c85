// CPU time spent by the app server, by Postgres and by the load generator during a phase of the
// load bench, read from /proc (Linux): where a turn's cost lies, not only how many there are.
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

export interface CpuSplit {
  serverMs: number;
  postgresMs: number;
  loadMs: number;
}

/** Starts counting; the returned function gives the CPU milliseconds spent since. */
export function cpuMeter(serverPid: number): () => CpuSplit {
  const server = processTicks(serverPid);
  const postgres = postgresTicks();
  const load = process.cpuUsage();
  return () => {
    const loadUsage = process.cpuUsage(load);
    return {
      serverMs: ((processTicks(serverPid) - server) * 1000) / TICKS_PER_SECOND,
      postgresMs: ((postgresTicks() - postgres) * 1000) / TICKS_PER_SECOND,
      loadMs: (loadUsage.user + loadUsage.system) / 1000,
    };
  };
}

/** "server 4.1 / Postgres 1.2 / load 2.0 ms": CPU per operation of a phase. */
export function perOperation(split: CpuSplit, operations: number): string {
  const each = (value: number) => (operations > 0 ? (value / operations).toFixed(1) : "–");
  return `server ${each(split.serverMs)} / Postgres ${each(split.postgresMs)} / load ${each(split.loadMs)} ms`;
}
