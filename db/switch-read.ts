import "server-only";
import { and, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { ancestorIdsText, ancestorUntilText } from "./branches";
import type { Database } from "./client";
import { perHandle } from "./per-handle";
import { branchSegments, conversations, messages } from "./schema";

// What a version switch reads before it writes (db/versions.ts): the current leaf and the
// target, each with its segment's ancestry, and the leaf the switch will show.
export type Place = {
  segmentId: string;
  depth: number;
  ancestorIds: string[];
  ancestorUntil: number[];
};

const leaf = alias(messages, "leaf");
const leafSegment = alias(branchSegments, "leaf_segment");
const target = alias(messages, "target");
const targetSegment = alias(branchSegments, "target_segment");
const remembered = alias(messages, "remembered");
const tipSegment = alias(branchSegments, "tip_segment");
const tipMessage = alias(messages, "tip_message");

/**
 * The conversation's current leaf and the target, each with its segment's ancestry, and the
 * leaf a switch to the target shows: the tip (deepest message) of the segment of the leaf last
 * viewed below it, or of its own. A tip, because a remembered leaf may have grown a reply since;
 * it continued its segment. Ownership is in the WHERE clause.
 */
export async function readBoth(
  db: Database,
  ids: { userId: string; conversationId: string; messageId: string },
): Promise<
  { shownLeafId: string; leaf: Place; target: Place & { tip: Place & { id: string } } } | undefined
> {
  const [row] = await switchReadStatement(db).execute(ids);
  if (!row) return undefined;
  return {
    shownLeafId: row.shownLeaf.id,
    leaf: row.shownLeaf,
    target: { ...row.targetPlace, tip: { ...row.tipPlace, ...row.tip } },
  };
}

// Prepared once per connection. Each part is a small lateral subquery (a LIMIT keeps Postgres
// from flattening it into one join): planned as one seven-table join, planning took several
// times as long as running it (3.8 ms against 0.8 ms on PGlite, which plans every statement).
const switchReadStatement = perHandle((db: Database) =>
  switchReadQuery(db).prepare("chatkeep_switch_read"),
);

/** The statement readBoth runs; exported for the plan test (db/branch-cost.test.ts). */
export function switchReadQuery(
  db: Database,
  ids: Record<"userId" | "conversationId" | "messageId", unknown> = {
    userId: sql.placeholder("userId"),
    conversationId: sql.placeholder("conversationId"),
    messageId: sql.placeholder("messageId"),
  },
) {
  const shownLeaf = db
    .select({
      id: leaf.id,
      segmentId: leaf.segmentId,
      depth: leaf.depth,
      ancestorIds: leafSegment.ancestorIds,
      ancestorUntil: leafSegment.ancestorUntil,
    })
    .from(leaf)
    .innerJoin(leafSegment, eq(leafSegment.id, leaf.segmentId))
    .where(and(eq(leaf.id, conversations.currentLeafId), eq(leaf.conversationId, conversations.id)))
    .limit(1)
    .as("shown_leaf");
  const targetPlace = db
    .select({
      segmentId: target.segmentId,
      depth: target.depth,
      ancestorIds: targetSegment.ancestorIds,
      ancestorUntil: targetSegment.ancestorUntil,
      // The leaf whose segment's tip a switch shows: the one remembered, or the target itself.
      showFrom: sql<string>`coalesce(${target.lastLeafId}, ${target.id})`.as("show_from"),
    })
    .from(target)
    .innerJoin(targetSegment, eq(targetSegment.id, target.segmentId))
    .where(
      and(eq(target.id, sql`${ids.messageId}::uuid`), eq(target.conversationId, conversations.id)),
    )
    .limit(1)
    .as("target_place");
  const tipPlace = db
    .select({
      segmentId: tipSegment.id,
      ancestorIds: tipSegment.ancestorIds,
      ancestorUntil: tipSegment.ancestorUntil,
    })
    .from(remembered)
    .innerJoin(tipSegment, eq(tipSegment.id, remembered.segmentId))
    .where(eq(remembered.id, targetPlace.showFrom))
    .limit(1)
    .as("tip_place");
  // The deepest message of that segment, by a backward range scan on (segment_id, depth).
  const tip = db
    .select({ id: tipMessage.id, depth: tipMessage.depth })
    .from(tipMessage)
    .where(eq(tipMessage.segmentId, tipPlace.segmentId))
    .orderBy(desc(tipMessage.depth))
    .limit(1)
    .as("tip");
  return db
    .select({
      shownLeaf: {
        id: shownLeaf.id,
        segmentId: shownLeaf.segmentId,
        depth: shownLeaf.depth,
        ancestorIds: ancestorIdsText(shownLeaf.ancestorIds),
        ancestorUntil: ancestorUntilText(shownLeaf.ancestorUntil),
      },
      targetPlace: {
        segmentId: targetPlace.segmentId,
        depth: targetPlace.depth,
        ancestorIds: ancestorIdsText(targetPlace.ancestorIds),
        ancestorUntil: ancestorUntilText(targetPlace.ancestorUntil),
      },
      tipPlace: {
        segmentId: tipPlace.segmentId,
        ancestorIds: ancestorIdsText(tipPlace.ancestorIds),
        ancestorUntil: ancestorUntilText(tipPlace.ancestorUntil),
      },
      tip: { id: tip.id, depth: tip.depth },
    })
    .from(conversations)
    .crossJoinLateral(shownLeaf)
    .crossJoinLateral(targetPlace)
    .crossJoinLateral(tipPlace)
    .crossJoinLateral(tip)
    .where(
      and(
        eq(conversations.id, sql`${ids.conversationId}::uuid`),
        eq(conversations.userId, sql`${ids.userId}::uuid`),
      ),
    )
    .limit(1);
}
