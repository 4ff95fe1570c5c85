import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { openForFile } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { type PlanNode, pagesTouched, planNodes, planOf } from "@/test/support/query-plans";
import { listConversations, listConversationsQuery } from "./conversations";

// A page of the sidebar must cost the same for a person with 10 conversations and for one with
// thousands: the (user_id, updated_at desc, id desc) index gives the page in order. Measured in
// pages touched (shared buffers), which do not depend on the machine's speed.
const db = openForFile("pg");

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

const nodeTypes = (plan: PlanNode) => planNodes(plan).map((node) => String(node["Node Type"]));

it("reads a page of conversations without sorting the user's other conversations", async () => {
  const few = await withConversations(10);
  const many = await withConversations(5000);
  for (const userId of [few, many]) {
    // Both pages: the first, and one further down (the keyset cursor).
    const first = await listConversations(db(), { userId, limit: 5 });
    for (const input of [{ userId }, { userId, cursor: first.nextCursor ?? undefined }]) {
      const plan = await planOf(db(), listConversationsQuery(db(), input).getSQL());
      expect(nodeTypes(plan)).not.toContain("Sort");
    }
  }
  const cost = async (userId: string) =>
    pagesTouched(await planOf(db(), listConversationsQuery(db(), { userId }).getSQL()));
  expect(await cost(many)).toBeLessThanOrEqual((await cost(few)) + 2);
});
