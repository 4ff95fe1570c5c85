import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { openTestDatabase, queryRows } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import type { DatabaseHandle } from "./client";
import { listConversations, listConversationsQuery } from "./conversations";

// A page of the sidebar must cost the same for a person with 10 conversations and for one with
// thousands: the (user_id, updated_at desc, id desc) index gives the page in order. Measured in
// pages touched (shared buffers), which do not depend on the machine's speed.
let handle: DatabaseHandle | undefined;
const db = () => {
  if (!handle) throw new Error("database not open yet");
  return handle.db;
};

beforeAll(async () => {
  handle = await openTestDatabase("pg");
});

afterAll(async () => {
  await handle?.close();
});

async function withConversations(count: number): Promise<string> {
  const user = await makeUser(db());
  await db().execute(
    sql`insert into conversations (id, user_id, title, updated_at)
      select gen_random_uuid(), ${user.id}, 'c' || g, now() - g * interval '1 minute'
      from generate_series(1, ${count}) as g`,
  );
  await db().execute(sql`vacuum analyze conversations`);
  return user.id;
}

async function planOf(query: SQL) {
  const [row] = await queryRows<{ "QUERY PLAN": unknown }>(
    db(),
    sql`explain (analyze, buffers, format json) ${query}`,
  );
  const raw = row?.["QUERY PLAN"];
  const [explained] = (typeof raw === "string" ? JSON.parse(raw) : raw) as Array<{
    Plan: Record<string, unknown>;
  }>;
  return explained?.Plan ?? {};
}

const pages = (plan: Record<string, unknown>) =>
  Number(plan["Shared Hit Blocks"] ?? 0) + Number(plan["Shared Read Blocks"] ?? 0);
const nodeTypes = (plan: Record<string, unknown>): string[] => [
  String(plan["Node Type"]),
  ...((plan.Plans as Array<Record<string, unknown>> | undefined) ?? []).flatMap(nodeTypes),
];

it("reads a page of conversations without sorting the user's other conversations", async () => {
  const few = await withConversations(10);
  const many = await withConversations(5000);
  for (const userId of [few, many]) {
    // Both pages: the first, and one further down (the keyset cursor).
    const first = await listConversations(db(), { userId, limit: 5 });
    for (const input of [{ userId }, { userId, cursor: first.nextCursor ?? undefined }]) {
      const plan = await planOf(listConversationsQuery(db(), input).getSQL());
      expect(nodeTypes(plan)).not.toContain("Sort");
    }
  }
  const cost = async (userId: string) =>
    pages(await planOf(listConversationsQuery(db(), { userId }).getSQL()));
  expect(await cost(many)).toBeLessThanOrEqual((await cost(few)) + 2);
});
