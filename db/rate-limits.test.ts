import { randomUUID } from "node:crypto";
import { like, sql } from "drizzle-orm";
import { afterEach, expect, it, vi } from "vitest";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import { hitRateLimit, startRateLimitSweeper, sweepRateLimits } from "./index";
import { rateLimits } from "./schema";

describeOnEachDriver("rate-limit windows", (db) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** `old` windows from 2+ days ago and `recent` ones from this hour, under a fresh prefix. */
  async function seedWindows(old: number, recent: number) {
    const prefix = `sweep-${randomUUID()}`;
    for (let i = 0; i < old; i++) {
      await db().execute(
        sql`insert into rate_limits (key, window_start, hits)
            values (${`${prefix}:old:${i}`}, now() - interval '2 days' - ${i}::int * interval '1 minute', 1)`,
      );
    }
    for (let i = 0; i < recent; i++) {
      await db().execute(
        sql`insert into rate_limits (key, window_start, hits)
            values (${`${prefix}:recent:${i}`}, now() - interval '10 minutes', 1)`,
      );
    }
    return prefix;
  }

  async function countWindows(prefix: string, kind: "old" | "recent") {
    const rows = await db()
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(like(rateLimits.key, `${prefix}:${kind}:%`));
    return rows.length;
  }

  it("never sweeps inside a request: counting a hit deletes nothing", async () => {
    const prefix = await seedWindows(3, 0);
    // Whatever chance a request once had of sweeping, it is certain here.
    vi.spyOn(Math, "random").mockReturnValue(0);
    await hitRateLimit(db(), { key: `${prefix}:hit`, limit: 5, windowMs: 60_000 });
    expect(await countWindows(prefix, "old")).toBe(3);
  });

  it("sweeps expired windows in bounded batches, oldest first, keeping live ones", async () => {
    const prefix = await seedWindows(5, 2);
    // Other suites' windows may share the table: sweep until ours are gone, batch by batch.
    const deletedPerBatch: number[] = [];
    while ((await countWindows(prefix, "old")) > 0) {
      deletedPerBatch.push(await sweepRateLimits(db(), { batchSize: 2 }));
      expect(deletedPerBatch.length).toBeLessThan(50);
    }
    expect(Math.max(...deletedPerBatch)).toBeLessThanOrEqual(2);
    expect(await countWindows(prefix, "recent")).toBe(2);
    expect(await sweepRateLimits(db(), { batchSize: 2 })).toBe(0);
  });

  it("uses the window index to find expired windows, not a scan of the table", async () => {
    // With sequential scans priced out, the plan shows whether an index can serve the query
    // at all, whatever the planner would pick for today's tiny table.
    const rows = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return queryRows<Record<string, string>>(
        tx,
        sql`explain select key, window_start from rate_limits
            where window_start < now() - interval '1 day' order by window_start limit 1000`,
      );
    });
    const plan = rows.map((row) => Object.values(row).join(" ")).join("\n");
    expect(plan).toMatch(/rate_limits_window_idx/);
  });

  it("runs in the background until the backlog is gone", async () => {
    const prefix = await seedWindows(6, 1);
    const stop = startRateLimitSweeper(db(), { intervalMs: 50, batchSize: 2, maxBatches: 2 });
    try {
      await vi.waitFor(
        async () => {
          expect(await countWindows(prefix, "old")).toBe(0);
        },
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      stop();
    }
    expect(await countWindows(prefix, "recent")).toBe(1);
  });
});
