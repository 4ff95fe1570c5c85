// The turns section of the load bench: sustained turns/s of 16 and 64 people on one server,
// against two reads by the same people on the same server: the conversation list
// (`?limit=1`, the cheapest authenticated request) and a conversation's history
// (`…/messages?limit=50`, what opening a conversation costs). A turn's server CPU is judged
// against the history read's: the target of issue 16 is at most 1.3 times.
import { CHOSEN_MODEL } from "./app-servers";
import { describeCpu, perOperation } from "./cpu";
import { checkHistoryPage } from "./history";
import { historyRead, listRead, type Person, sustain, turn } from "./load-client";
import { log, p50p99, type Row, times } from "./load-table";
import { checkReplyWords, type ModelRun, meterRun, rowsOf } from "./model-run";

const TARGET_TURN_OVER_READ = 1.3;

export async function turnsSection(
  run: ModelRun,
  clients: Person[],
  histories: string[],
  seconds: number,
  replyWords: number,
): Promise<Row[]> {
  const label = `turns (${run.model}, ${run.workers} worker${run.workers > 1 ? "s" : ""})`;
  // Every kind of request once from every person first, so no phase pays for the server's first
  // compilation of its routes.
  log(`${label}: warming up…`);
  const warm = await Promise.all(clients.map((client) => turn(client, crypto.randomUUID(), "Hi")));
  checkReplyWords(run, warm, replyWords);
  if (clients[0]) await checkHistoryPage(clients[0], histories[0] ?? "");
  await Promise.all(clients.map(listRead));
  await Promise.all(clients.map((client, i) => historyRead(client, histories[i] ?? "")));
  const rows: Row[] = [];
  for (const users of [16, 64]) {
    const group = clients.slice(0, users);
    log(`${label}: ${users} people for ${seconds} s each of turns, list reads, history reads…`);
    const conversations = group.map(() => crypto.randomUUID());
    const turnCpu = meterRun(run);
    const turns = await sustain(group, seconds, (client, index, round) =>
      turn(client, conversations[index] ?? "", `Turn ${round} of person ${index}`),
    );
    const turnSplit = perOperation(turnCpu(), turns.results.length);
    // The same turns on a model the person chose (the remote run only: the offline run has one
    // model): the catalog lookup and the conversation's model written with the turn.
    const chosen = run.model === "remote" ? await chosenTurns(run, group, seconds) : undefined;
    const listCpu = meterRun(run);
    const lists = await sustain(group, seconds, listRead);
    const listSplit = perOperation(listCpu(), lists.results.length);
    const historyCpu = meterRun(run);
    const reads = await sustain(group, seconds, (client, index) =>
      historyRead(client, histories[index] ?? ""),
    );
    const historySplit = perOperation(historyCpu(), reads.results.length);

    const turnRate = turns.results.length / turns.elapsed;
    const listRate = lists.results.length / lists.elapsed;
    const historyRate = reads.results.length / reads.elapsed;
    const errors = turns.results.filter((result) => !result.ok).length;
    const listErrors = lists.results.filter((ok) => !ok).length;
    const historyErrors = reads.results.filter((ok) => !ok).length;
    const ttfb = turns.results.map((result) => result.ttfb).filter(Number.isFinite);
    const cpu = (split: typeof turnSplit) => describeCpu(split, run.modelPid !== undefined);
    const turnOverRead = turnSplit.serverMs / historySplit.serverMs;
    const row = rowsOf(run, `turns, ${users} people`);
    rows.push(
      row(`turns/s (${replyWords} words, no delay)`, turnRate.toFixed(1), {
        baseline: `${listRate.toFixed(1)} list reads/s`,
        ratio: `${((turnRate / listRate) * 100).toFixed(0)}%`,
      }),
      row("history reads/s (?limit=50)", historyRate.toFixed(1), {
        baseline: `${listRate.toFixed(1)} list reads/s`,
        ratio: `${((historyRate / listRate) * 100).toFixed(0)}%`,
      }),
      row("POST time to first byte p50 / p99", p50p99(ttfb)),
      row("whole turn p50 / p99", p50p99(turns.results.map((result) => result.total))),
      row("CPU per turn", cpu(turnSplit), { cpu: turnSplit }),
      ...(chosen
        ? [
            row("CPU per turn on a chosen model", cpu(chosen.split), {
              cpu: chosen.split,
              baseline: `${turnSplit.serverMs.toFixed(1)} ms server on the default`,
              ratio: times(chosen.split.serverMs / turnSplit.serverMs),
            }),
            row(
              "turns/s on a chosen model",
              (chosen.turns.results.length / chosen.turns.elapsed).toFixed(1),
              {
                baseline: `${turnRate.toFixed(1)} on the default`,
                ratio: `${((chosen.turns.results.length / chosen.turns.elapsed / turnRate) * 100).toFixed(0)}%`,
              },
            ),
            row(
              "errors on a chosen model",
              String(chosen.turns.results.filter((result) => !result.ok).length),
              { baseline: `of ${chosen.turns.results.length}` },
            ),
          ]
        : []),
      row("CPU per list read", cpu(listSplit), { cpu: listSplit }),
      row("CPU per history read", cpu(historySplit), { cpu: historySplit }),
      row(
        "server CPU: turn / history read",
        `${turnSplit.serverMs.toFixed(1)} / ${historySplit.serverMs.toFixed(1)} ms`,
        { baseline: `target ≤ ${times(TARGET_TURN_OVER_READ)}`, ratio: times(turnOverRead) },
      ),
      row(
        "errors (turns / list reads / history reads)",
        `${errors} / ${listErrors} / ${historyErrors}`,
        {
          baseline: `of ${turns.results.length} / ${lists.results.length} / ${reads.results.length}`,
        },
      ),
    );
  }
  return rows;
}

/** Sustained turns in new conversations, each naming CHOSEN_MODEL. */
async function chosenTurns(run: ModelRun, group: Person[], seconds: number) {
  const conversations = group.map(() => crypto.randomUUID());
  const meter = meterRun(run);
  const turns = await sustain(group, seconds, (client, index, round) =>
    turn(client, conversations[index] ?? "", `Turn ${round} of person ${index}`, CHOSEN_MODEL),
  );
  return { turns, split: perOperation(meter(), turns.results.length) };
}
