// One app server answering with one model, as the turns and replies sections see it.
import type { BenchServer } from "./app-servers";
import { cpuMeter } from "./cpu";
import { type BenchModel, log, type Row } from "./load-table";

export interface ModelRun {
  model: BenchModel;
  workers: number;
  server: BenchServer;
  /** The model server's pid when the model is remote. */
  modelPid?: number;
  databaseUrl: string;
}

/** Meters a phase of the run: the server's processes, and the model server when it has one. */
export const meterRun = (run: ModelRun) =>
  cpuMeter({ server: () => run.server.pids(), model: run.modelPid, postgresUrl: run.databaseUrl });

/** Makes the rows of one section of a run: `row(measure, value, { baseline, ratio, cpu })`. */
export const rowsOf =
  (run: ModelRun, section: string) =>
  (measure: string, value: string, more: Partial<Row> = {}): Row => ({
    section,
    model: run.model,
    workers: String(run.workers),
    measure,
    value,
    baseline: "",
    ratio: "",
    ...more,
  });

/** Warns when a model's replies are not as long as the run asks: both models must say as much. */
export function checkReplyWords(
  run: ModelRun,
  results: { ok: boolean; words: number }[],
  words: number,
) {
  const off = results.filter((result) => result.ok && result.words !== words);
  if (off.length > 0)
    log(`${run.model}: ${off.length} replies not of ${words} words (e.g. ${off[0]?.words})`);
}
