import { type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db";
import { queryRows } from "./databases";

// For the plan tests (db/*-cost.test.ts): a statement's plan as Postgres ran it, and what it
// touched, counted in pages (shared buffers), which do not depend on the machine's speed.

export type PlanNode = Record<string, unknown>;

/** The plan of `query`, run (EXPLAIN ANALYZE, BUFFERS). */
export async function planOf(db: Database, query: SQL): Promise<PlanNode> {
  const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
    db,
    sql`explain (analyze, buffers, format json) ${query}`,
  );
  const raw = row?.["QUERY PLAN"];
  const [explained] = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{
    Plan: PlanNode;
  }>;
  return explained?.Plan ?? {};
}

/** The plan's nodes, the root first. */
export const planNodes = (plan: PlanNode): PlanNode[] => [
  plan,
  ...((plan.Plans as PlanNode[] | undefined) ?? []).flatMap(planNodes),
];

/** Pages the plan read, from the cache or from disk. */
export const pagesTouched = (plan: PlanNode) =>
  Number(plan["Shared Hit Blocks"] ?? 0) + Number(plan["Shared Read Blocks"] ?? 0);
