// `npm run bench:load`, import section (BENCH_SECTIONS=import): the file that used to take a
// server down, a 200 MB ChatGPT export whose first conversation is padded with
// `"junk":[{},{},…]`, sent to `next start` on Postgres with the default import limits, while
// the server's RSS is sampled every 20 ms. Baseline: the same server's RSS after a warm-up
// (one ordinary import). The figures: RSS growth at the peak, and the CPU the file costs.
import { readFileSync } from "node:fs";
import path from "node:path";
import { signedInClient } from "@/test/support/api-client";
import { startAppServer } from "@/test/support/app-server";
import { postPaddedImport, residentBytes } from "@/test/support/padded-import";
import { cpuMeter } from "./cpu";
import type { Row } from "./load-table";

const FILE_BYTES = Number(process.env.BENCH_IMPORT_MB ?? 200) * 1024 * 1024;

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

export async function importMemorySection(databaseUrl: string): Promise<Row[]> {
  const server = await startAppServer({ env: { DATABASE_URL: databaseUrl } });
  try {
    const client = await signedInClient(server.url);
    const fixture = readFileSync(path.resolve("test/fixtures/import/chatgpt-conversations.json"));
    await client.fetch("/api/import", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: fixture,
    });
    const before = residentBytes(server.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, residentBytes(server.pid));
    }, 20);
    const cpu = cpuMeter({ server: () => [server.pid], postgresUrl: databaseUrl });
    const started = performance.now();
    const answer = await postPaddedImport(
      server.url,
      client.cookieHeader() ?? "",
      FILE_BYTES,
    ).finally(() => clearInterval(sampler));
    const seconds = (performance.now() - started) / 1000;
    const { serverMs, postgresMs } = cpu();
    const summary = JSON.parse(answer.body) as { imported: number; failedCount: number };
    return [
      {
        section: "import memory",
        model: "",
        workers: "1",
        measure: `${mib(FILE_BYTES)} padded ChatGPT file (${answer.status}: ${summary.imported} imported, ${summary.failedCount} failed): server RSS before → peak`,
        value: `${mib(before)} → ${mib(peak)}`,
        baseline: `${mib(before)} after one ordinary import`,
        ratio: `+${mib(peak - before)}; server CPU ${(serverMs / 1000).toFixed(1)} s (Postgres ${(postgresMs / 1000).toFixed(1)} s), ${seconds.toFixed(1)} s wall, ${(FILE_BYTES / 1024 / 1024 / seconds).toFixed(0)} MiB/s`,
      },
    ];
  } finally {
    await server.kill();
  }
}
