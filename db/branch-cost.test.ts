import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { openForFile } from "@/test/support/databases";
import { makeConversation, makeUser, seedBulkMessages } from "@/test/support/factories";
import { type PlanNode, pagesTouched, planNodes, planOf } from "@/test/support/query-plans";
import { depthsParams, depthsQuery, pathSpans } from "./branches";
import { addMessage } from "./messages";
import { switchReadQuery } from "./switch-read";

// A page of a branch is an index range scan on (segment_id, depth) for each segment on the page
// (a nested loop over the list of segments), plus primary-key probes for the version counts: no
// scan of the conversation, no sort, whatever the number of messages and forks. Measured in plan
// nodes and pages touched.
const db = openForFile("pg");

const PAGING_INDEXES = [
  "messages_segment_depth_key",
  "messages_pkey",
  "conversations_pkey",
  "conversations_id_user_id_key",
];

/** Every node of the plan is one of `nodeTypes`, and reads only `indexes`. */
function expectOnly(plan: PlanNode, nodeTypes: string[], indexes: string[]) {
  for (const node of planNodes(plan)) {
    expect(nodeTypes).toContain(node["Node Type"]);
    if (node["Index Name"] !== undefined) expect(indexes).toContain(node["Index Name"]);
  }
}

async function conversationOf(count: number) {
  const user = await makeUser(db());
  const convo = await makeConversation(db(), user.id);
  const base = { conversationId: convo.id, userId: user.id };
  const rows = await seedBulkMessages(db(), { conversationId: convo.id, count, content: String });
  return { base, rows };
}

it("reads a page of a deep branch with index scans only, touching about what a line touches", async () => {
  const straight = await conversationOf(2000);
  const branched = await conversationOf(1000);
  // Forks along the line, each continued: the last one's branch crosses every fork's depth.
  for (let fork = 0; fork < 30; fork++) {
    const parent = branched.rows[fork * 30 + 10]?.id as string;
    await addMessage(db(), {
      ...branched.base,
      id: randomUUID(),
      role: "user",
      content: `fork ${fork}`,
      parentId: parent,
    });
    await seedBulkMessages(db(), {
      conversationId: branched.base.conversationId,
      count: 3 + fork * 5,
      content: String,
    });
  }
  // Other conversations' forks, so branch_segments is not the handful of rows Postgres would
  // rather read whole than probe.
  await db().execute(sql`insert into branch_segments (conversation_id, user_id)
    select ${straight.base.conversationId}::uuid, ${straight.base.userId}::uuid
    from generate_series(1, 5000)`);
  await db().execute(sql`vacuum analyze messages`);
  await db().execute(sql`vacuum analyze branch_segments`);

  const cost = async (base: { userId: string; conversationId: string }) => {
    const spans = await pathSpans(db(), base);
    const leafDepth = spans.at(-1)?.to ?? 0;
    const plans = [];
    // The newest page, and one in the middle of the branch.
    for (const to of [leafDepth, Math.floor(leafDepth / 2)]) {
      const query = depthsQuery(db(), depthsParams(spans, to - 49, to));
      plans.push(await planOf(db(), query.getSQL()));
    }
    return plans;
  };
  const linePlans = await cost(straight.base);
  const branchPlans = await cost(branched.base);
  // Postgres may read a range as a bitmap of the same index; what must not appear is a scan of
  // the table, a sort, or an index other than the paging one and the primary-key probes.
  for (const plan of [...linePlans, ...branchPlans]) {
    expectOnly(
      plan,
      [
        "Nested Loop",
        "Function Scan",
        "Index Scan",
        "Index Only Scan",
        "Bitmap Heap Scan",
        "Bitmap Index Scan",
      ],
      PAGING_INDEXES,
    );
  }
  // A page that crosses a few forks reads a few more index pages, not more of the conversation.
  branchPlans.forEach((plan, i) => {
    expect(pagesTouched(plan)).toBeLessThanOrEqual(2 * pagesTouched(linePlans[i] as PlanNode) + 8);
  });

  // A switch's read, to the deepest fork's first version from the current (last) branch: the
  // current leaf, the target, their segments and the tip of the target's segment, each a probe.
  const target = branched.rows[29 * 30 + 11]?.id as string;
  const switchPlan = await planOf(
    db(),
    switchReadQuery(db(), { ...branched.base, messageId: target }).getSQL(),
  );
  expectOnly(
    switchPlan,
    // As for a page, Postgres may probe an index through a bitmap; the indexes are what count.
    [
      "Limit",
      "Nested Loop",
      "Index Scan",
      "Index Scan Backward",
      "Bitmap Heap Scan",
      "Bitmap Index Scan",
      "Result",
    ],
    [...PAGING_INDEXES, "branch_segments_pkey"],
  );
  expect(pagesTouched(switchPlan)).toBeLessThan(60);
}, 180_000);
