// The followers section of the load bench: database transactions/s while 0, 1, 10 and 100
// browsers follow one live reply, against the same with one follower.
import pg from "pg";
import { readReply } from "@/test/support/api-client";
import { startAppServer } from "@/test/support/app-server";
import { migrated, unlimited } from "./app-servers";
import { people } from "./load-client";
import { log, type Row, sleep } from "./load-table";

async function transactions(admin: pg.Client, database: string): Promise<number> {
  const result = await admin.query<{ n: string }>(
    "select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = $1",
    [database],
  );
  return Number(result.rows[0]?.n ?? 0);
}

export async function followersSection(adminUrl: string): Promise<Row[]> {
  const url = await migrated(adminUrl);
  const database = new URL(url).pathname.slice(1);
  // Replies long enough to hold followers for the whole window: 150 words at 60 ms.
  const server = await startAppServer({
    env: {
      DATABASE_URL: url,
      ...unlimited,
      OFFLINE_MODEL_TOKEN_DELAY_MS: "60",
      OFFLINE_MODEL_REPLY_WORDS: "150",
    },
  });
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const [client] = await people(server.url, 1);
    if (!client) throw new Error("no client");
    const perFollowers = new Map<number, number>();
    for (const followers of [0, 1, 10, 100]) {
      log(`followers: ${followers}…`);
      const conversationId = crypto.randomUUID();
      const sent = await client.send(conversationId, "A long answer, please");
      const generating = readReply(sent);
      await sleep(500);
      const streams = await Promise.all(
        Array.from({ length: followers }, () =>
          client.fetch(`/api/conversations/${conversationId}/stream`),
        ),
      );
      const reading = streams.map((response) => readReply(response));
      await sleep(1000);
      // pg_stat_database is updated when a backend reports, at most every second or so: a
      // window of several seconds keeps that granularity small.
      const before = await transactions(admin, database);
      const window = 5000;
      await sleep(window);
      const after = await transactions(admin, database);
      perFollowers.set(followers, ((after - before) * 1000) / window);
      await client.json(`/api/conversations/${conversationId}/stop`, "POST");
      await Promise.all([generating, ...reading]);
      await sleep(1000);
    }
    const rows: Row[] = [];
    const generatingOnly = perFollowers.get(0) ?? Number.NaN;
    const one = perFollowers.get(1) ?? Number.NaN;
    for (const followers of [1, 10, 100]) {
      const rate = perFollowers.get(followers) ?? Number.NaN;
      rows.push({
        section: "followers of one reply",
        model: "offline",
        workers: "1",
        measure: `${followers} follower${followers > 1 ? "s" : ""}: database transactions/s`,
        value: rate.toFixed(1),
        baseline: `${one.toFixed(1)} with 1 follower (${generatingOnly.toFixed(1)} with none)`,
        ratio: `${(rate / one).toFixed(2)}x`,
      });
    }
    return rows;
  } finally {
    await admin.end();
    await server.kill();
  }
}
