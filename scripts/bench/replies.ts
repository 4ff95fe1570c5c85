// The replies section of the load bench: n replies started at once (60 words at 20 ms a word),
// their completion as a multiple of the model's own time, and of the bare relay's: a plain Node
// server relaying the same model server's stream (scripts/bench/bare-relay.ts), the physical
// limit of serving a remote model on this machine.
import { cpuMeter, describeCpu, perOperation } from "./cpu";
import { describeFailures, type Person, turn } from "./load-client";
import { log, ms, p50p99, percentile, type Row, sleep, times } from "./load-table";
import { checkReplyWords, type ModelRun, meterRun, rowsOf } from "./model-run";
import type { OwnProcess } from "./own-process";

export interface Completion {
  p50: number;
  p99: number;
}

interface Timed {
  ok: boolean;
  failure?: string;
  ttfb: number;
  total: number;
}

const section = (concurrent: number) => `${concurrent} concurrent replies`;
const ofModel = (values: number[], modelMs: number) =>
  `${times(percentile(values, 50) / modelMs)} / ${times(percentile(values, 99) / modelMs)}`;

/** One stream from the bare relay, read to its end. */
async function relayed(url: string): Promise<Timed> {
  const began = performance.now();
  try {
    const response = await fetch(url);
    const ttfb = performance.now() - began;
    const body = await response.text();
    const ok = response.status === 200 && body.endsWith("data: [DONE]\n\n");
    const failure = ok ? undefined : String(response.status);
    return { ok, failure, ttfb, total: performance.now() - began };
  } catch {
    return { ok: false, failure: "network", ttfb: Number.NaN, total: performance.now() - began };
  }
}

export async function bareRelaySection(
  relay: OwnProcess,
  modelPid: number,
  databaseUrl: string,
  counts: number[],
  modelMs: number,
): Promise<{ rows: Row[]; completions: Map<number, Completion> }> {
  log("replies (bare relay): warming up…");
  await Promise.all(Array.from({ length: 20 }, () => relayed(relay.url)));
  const rows: Row[] = [];
  const completions = new Map<number, Completion>();
  for (const concurrent of counts) {
    log(`replies (bare relay): ${concurrent} at once…`);
    const meter = cpuMeter({
      server: () => [relay.pid],
      model: modelPid,
      postgresUrl: databaseUrl,
    });
    const results = await Promise.all(Array.from({ length: concurrent }, () => relayed(relay.url)));
    const split = perOperation(meter(), concurrent);
    const total = results.map((result) => result.total);
    completions.set(concurrent, { p50: percentile(total, 50), p99: percentile(total, 99) });
    const errors = results.filter((result) => !result.ok).length;
    const columns = { section: section(concurrent), model: "remote", workers: "bare" };
    rows.push(
      {
        ...columns,
        measure: "bare relay: completion p50 / p99",
        value: p50p99(total),
        baseline: `${ms(modelMs)} model alone`,
        ratio: `${ofModel(total, modelMs)}; errors ${errors}${describeFailures(results)}`,
      },
      {
        ...columns,
        measure: "bare relay: CPU per reply",
        value: describeCpu(split, true),
        baseline: "",
        ratio: "",
        cpu: split,
      },
    );
    await sleep(1000);
  }
  return { rows, completions };
}

export async function repliesSection(
  run: ModelRun,
  clients: Person[],
  counts: number[],
  shape: { words: number; modelMs: number },
  bare: Map<number, Completion>,
): Promise<Row[]> {
  const { modelMs } = shape;
  const label = `replies (${run.model}, ${run.workers} worker${run.workers > 1 ? "s" : ""})`;
  // A fresh server loads and compiles its routes on first use: warm it up first, so the figures
  // are the steady state people meet, not a cold start.
  log(`${label}: warming up…`);
  const warm = await Promise.all(
    clients.slice(0, 20).map((client) => turn(client, crypto.randomUUID(), "Warm-up")),
  );
  checkReplyWords(run, warm, shape.words);
  const rows: Row[] = [];
  for (const concurrent of counts) {
    log(`${label}: ${concurrent} at once…`);
    const meter = meterRun(run);
    const results = await Promise.all(
      Array.from({ length: concurrent }, (_, i) => {
        const client = clients[i % clients.length] as Person;
        return turn(client, crypto.randomUUID(), `Reply number ${i}`);
      }),
    );
    const split = perOperation(meter(), concurrent);
    const total = results.map((result) => result.total);
    const errors = results.filter((result) => !result.ok).length;
    // After the response started: how much the replies slow each other once streaming, apart
    // from the queue of requests arriving in the same instant.
    const streaming = results
      .filter((result) => Number.isFinite(result.ttfb))
      .map((result) => result.total - result.ttfb);
    const row = rowsOf(run, section(concurrent));
    rows.push(
      row("POST time to first byte p50 / p99", p50p99(results.map((result) => result.ttfb))),
      row("from first byte to completion p50 / p99", p50p99(streaming), {
        baseline: `${ms(modelMs)} model alone`,
        ratio: ofModel(streaming, modelMs),
      }),
      row("CPU per reply", describeCpu(split, run.modelPid !== undefined), { cpu: split }),
      row(`completion p50 / p99 (${shape.words} words in ${ms(modelMs)})`, p50p99(total), {
        baseline: `${ms(modelMs)} model alone`,
        ratio: `${ofModel(total, modelMs)}; errors ${errors}${describeFailures(results)}`,
      }),
    );
    const relay = bare.get(concurrent);
    if (relay) {
      rows.push(
        row("completion p50 / p99 against the bare relay", p50p99(total), {
          baseline: `${relay.p50.toFixed(0)} / ${ms(relay.p99)} bare relay`,
          ratio: `${times(percentile(total, 50) / relay.p50)} / ${times(percentile(total, 99) / relay.p99)}`,
        }),
      );
    }
    await sleep(1000);
  }
  return rows;
}
