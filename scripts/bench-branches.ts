// Branch paging figures for `npm run bench`: a conversation of 100,000 messages with 1,000 forks
// spread along it (some deep: a chain of forks of forks; some wide: many versions of one
// message) against a straight conversation of 100,000. The same page read from each, as a ratio;
// the target is 2x. Run alone: `node --conditions=react-server --import tsx scripts/bench-branches.ts`.

import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import {
  createConversation,
  createUser,
  type Database,
  getBranchPage,
  openDatabase,
  switchVersionWithPage,
} from "@/db";
import { createScratchDatabase } from "@/test/support/postgres";
import { TreeBuilder, type TreeMessage, writeTree } from "./bench/branch-tree";
import { runAloneOnPostgres } from "./bench/run-alone";

const MESSAGES = Number(process.env.BENCH_BRANCH_MESSAGES ?? 100_000);
const FORKS = 1_000;
const DEEP_FORKS = FORKS / 4;
const RUNS = Number(process.env.BENCH_BRANCH_RUNS ?? 200);
const PAGE = 50;

type Row = {
  driver: string;
  page: string;
  "branched (ms)": string;
  "straight (ms)": string;
  ratio: string;
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function medianMs(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/**
 * Half the messages on a main line; the other half in 1,000 forks off it. A quarter of the forks
 * are deep: each leaves the previous deep fork halfway along it, so the last one's branch crosses
 * 250 forks. The rest are wide: groups of five versions of the same message, spread along the
 * main line.
 */
function branchedTree() {
  const tree = new TreeBuilder();
  const main = tree.line(null, MESSAGES / 2);
  const deepLength = Math.floor(MESSAGES / 4 / DEEP_FORKS);
  const wideLength = Math.floor(MESSAGES / 4 / (FORKS - DEEP_FORKS));
  let deepest: TreeMessage[] = main.slice(0, MESSAGES / 10);
  // The two versions at the deepest fork: the one its parent's line continues with, and the last
  // deep fork's first message.
  let versions: TreeMessage[] = [];
  for (let fork = 0; fork < DEEP_FORKS; fork++) {
    const middle = Math.floor(deepest.length / 2);
    const from = deepest[middle] as TreeMessage;
    const continued = deepest[middle + 1] as TreeMessage;
    deepest = tree.line(from, deepLength);
    versions = [continued, deepest[0] as TreeMessage];
  }
  const wideGroups = (FORKS - DEEP_FORKS) / 5;
  for (let group = 0; group < wideGroups; group++) {
    const from = main[Math.floor(((group + 1) * main.length) / (wideGroups + 1))] as TreeMessage;
    for (let version = 0; version < 5; version++) tree.line(from, wideLength);
  }
  return { tree, leaf: deepest.at(-1) as TreeMessage, versions };
}

async function seed(db: Database, tree: TreeBuilder, leaf: TreeMessage) {
  const { id: userId } = await createUser(db, { email: `bench-${randomUUID()}@example.test` });
  const { id: conversationId } = await createConversation(db, { userId });
  await writeTree(db, tree, { userId, conversationId, leafId: leaf.id });
  return { userId, conversationId };
}

async function benchDriver(label: string, db: Database): Promise<Row[]> {
  console.error(`[bench] ${label}: seeding two conversations of ${MESSAGES} messages…`);
  const branched = branchedTree();
  const bushy = await seed(db, branched.tree, branched.leaf);
  const line = new TreeBuilder();
  const straightMessages = line.line(null, MESSAGES);
  const straight = await seed(db, line, straightMessages.at(-1) as TreeMessage);
  await db.execute(sql`vacuum analyze messages`);
  await db.execute(sql`vacuum analyze branch_segments`);

  const leafDepth = branched.leaf.depth;
  const pages: Array<[string, number | undefined]> = [
    [`newest page of the deepest branch (depth ${leafDepth})`, undefined],
    [`a page in its middle (before depth ${Math.floor(leafDepth / 2)})`, Math.floor(leafDepth / 2)],
  ];
  const rows: Row[] = [];
  for (const [page, beforeDepth] of pages) {
    // The straight conversation's page at the same depths: its newest page ends at the same
    // depth as the deepest branch, so both read the same stretch of their path.
    const before = beforeDepth ?? leafDepth + 1;
    const bushyMs = await medianMs(() =>
      getBranchPage(db, { ...bushy, beforeDepth: before, limit: PAGE }),
    );
    const straightMs = await medianMs(() =>
      getBranchPage(db, { ...straight, beforeDepth: before, limit: PAGE }),
    );
    rows.push({
      driver: label,
      page,
      "branched (ms)": bushyMs.toFixed(2),
      "straight (ms)": straightMs.toFixed(2),
      ratio: `${(bushyMs / straightMs).toFixed(2)}x`,
    });
  }
  const newestBushy = await medianMs(() => getBranchPage(db, { ...bushy, limit: PAGE }));
  const newestStraight = await medianMs(() => getBranchPage(db, { ...straight, limit: PAGE }));
  rows.push({
    driver: label,
    page: "newest page of each conversation's current branch",
    "branched (ms)": newestBushy.toFixed(2),
    "straight (ms)": newestStraight.toFixed(2),
    ratio: `${(newestBushy / newestStraight).toFixed(2)}x`,
  });
  // Switching back and forth at the deepest fork (250 forks above it), each switch with the
  // newest page of the branch it shows (what POST …/switch answers), against the straight
  // conversation's newest page.
  let shown = 0;
  const switchMs = await medianMs(async () => {
    shown = 1 - shown;
    return switchVersionWithPage(db, {
      ...bushy,
      messageId: (branched.versions[shown] as TreeMessage).id,
      limit: PAGE,
    });
  });
  rows.push({
    driver: label,
    page: "version switch at the deepest fork, then the newest page",
    "branched (ms)": switchMs.toFixed(2),
    "straight (ms)": newestStraight.toFixed(2),
    ratio: `${(switchMs / newestStraight).toFixed(2)}x`,
  });
  return rows;
}

export async function benchBranches(postgresUrl: string): Promise<void> {
  const rows: Row[] = [];
  const pglite = await openDatabase({ driver: "pglite", dataDir: "memory://" });
  try {
    await pglite.migrate();
    rows.push(...(await benchDriver("pglite", pglite.db)));
  } finally {
    await pglite.close();
  }
  const pg = await openDatabase({
    driver: "pg",
    url: await createScratchDatabase(postgresUrl, "bench_branches"),
  });
  try {
    await pg.migrate();
    rows.push(...(await benchDriver("postgres (pg)", pg.db)));
  } finally {
    await pg.close();
  }
  console.table(rows);
}

await runAloneOnPostgres(import.meta.url, benchBranches);
