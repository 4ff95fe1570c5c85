// The load bench's table: one row per figure, printed with console.table and, with
// BENCH_JSON=<path>, written as JSON (the rows plus each CPU row's split in numbers).
import { writeFileSync } from "node:fs";
import type { CpuSplit } from "./cpu";

/** Which model answered: the model server over HTTP, or the built-in model in the app process. */
export type BenchModel = "remote" | "offline";

export interface Row {
  section: string;
  /** remote / offline, or "" where no model takes part. */
  model: string;
  /** Worker processes of the app server; "bare" for the bare relay, "" where it does not apply. */
  workers: string;
  measure: string;
  value: string;
  baseline: string;
  ratio: string;
  /** CPU rows: milliseconds per operation by process, for the JSON file. */
  cpu?: CpuSplit;
}

export const log = (message: string) => console.error(`[bench:load] ${message}`);

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const ms = (value: number) => `${value.toFixed(0)} ms`;

/** "96 / 193 ms": p50 and p99 of a list of durations. */
export const p50p99 = (values: number[]) =>
  `${percentile(values, 50).toFixed(0)} / ${ms(percentile(values, 99))}`;

export const times = (value: number) => `${value.toFixed(2)}x`;

export const sleep = (duration: number) => new Promise((resolve) => setTimeout(resolve, duration));

export function printTable(rows: Row[], jsonPath: string | undefined) {
  console.table(rows.map(({ cpu: _cpu, ...shown }) => shown));
  if (jsonPath) {
    writeFileSync(jsonPath, `${JSON.stringify(rows, null, 2)}\n`);
    log(`rows written to ${jsonPath}`);
  }
}
