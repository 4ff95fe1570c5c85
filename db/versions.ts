import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import { type Span, spansTo } from "./branches";
import type { Database } from "./client";
import { branchSegments, conversations, messages } from "./schema";

const switchInput = z.object({ userId: idSchema, conversationId: idSchema, messageId: idSchema });

export type SwitchVersionInput = z.input<typeof switchInput>;

/**
 * Makes the branch through `messageId` the conversation's current one (issue 15, behaviours 3–4)
 * and returns its leaf. Below the message it shows the branch the person last viewed there, or,
 * if they never did, the message's own segment down to its tip. The version it replaces, where
 * the two branches part, remembers the leaf shown until now (`last_leaf_id`), so switching back
 * restores it; forks nested deeper keep their own memory, since every switch records at the
 * fork it crosses.
 *
 * Index lookups only: the two paths come from their segments' ancestry arrays, so the cost grows
 * with the forks on the path, not with the conversation. The conversation row is locked for the
 * transaction, as the insert trigger locks it, so concurrent switches and appends queue and
 * leave one consistent current leaf. Switching to a message already on the current branch
 * changes nothing. Another user's conversation, or a message not in it, is NotFound.
 */
export async function switchVersion(
  db: Database,
  input: SwitchVersionInput,
): Promise<{ leafId: string }> {
  const { userId, conversationId, messageId } = parseInput(switchInput, input);
  return db.transaction(async (tx) => {
    const [owned] = await tx
      .select({ leafId: conversations.currentLeafId })
      .from(conversations)
      .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)))
      .for("update");
    if (!owned?.leafId) throw new NotFoundError();
    const [target, leaf] = await Promise.all([
      placeOf(tx, conversationId, messageId),
      placeOf(tx, conversationId, owned.leafId),
    ]);
    if (!target || !leaf) throw new NotFoundError();
    const shown = spansTo(leaf);
    const fork = firstDifference(shown, spansTo(target));
    if (fork > target.depth) return { leafId: owned.leafId };
    if (fork <= leaf.depth) {
      await tx
        .update(messages)
        .set({ lastLeafId: owned.leafId })
        .where(and(eq(messages.segmentId, segmentAt(shown, fork)), eq(messages.depth, fork)));
    }
    await tx
      .update(conversations)
      .set({ currentLeafId: target.tip })
      .where(eq(conversations.id, conversationId));
    return { leafId: target.tip };
  });
}

type Place = {
  id: string;
  segmentId: string;
  depth: number;
  ancestorIds: string[];
  ancestorUntil: number[];
  tip: string;
};

/**
 * A message of the conversation with its segment's ancestry, and the leaf a switch to it shows:
 * the tip (deepest message) of the segment of the leaf last viewed below it, or of its own. A
 * tip, because a remembered leaf may have grown a reply since; it continues its segment.
 */
async function placeOf(
  db: Database,
  conversationId: string,
  messageId: string,
): Promise<Place | undefined> {
  const [place] = await db
    .select({
      id: messages.id,
      segmentId: messages.segmentId,
      depth: messages.depth,
      ancestorIds: branchSegments.ancestorIds,
      ancestorUntil: branchSegments.ancestorUntil,
      // Plain names: Drizzle's column references would bind to the inner aliases.
      tip: sql<string>`(
        select t.id from messages as t
        where t.segment_id = (
          select l.segment_id from messages as l
          where l.id = coalesce(messages.last_leaf_id, messages.id)
        )
        order by t.depth desc limit 1
      )`,
    })
    .from(messages)
    .innerJoin(branchSegments, eq(branchSegments.id, messages.segmentId))
    .where(and(eq(messages.id, messageId), eq(messages.conversationId, conversationId)))
    .limit(1);
  return place;
}

/**
 * The first depth at which two paths (root first) hold different messages; past the shorter
 * one's end when one contains the other. A depth is held by one message per segment, so equal
 * segments over equal depths are the same messages.
 */
export function firstDifference(a: Span[], b: Span[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i] as Span, b[i] as Span];
    if (x.segmentId !== y.segmentId) return x.from;
    if (x.to !== y.to) return Math.min(x.to, y.to) + 1;
  }
  return (a[Math.min(a.length, b.length) - 1] as Span).to + 1;
}

function segmentAt(spans: Span[], depth: number): string {
  const span = spans.find((s) => s.from <= depth && depth <= s.to);
  if (!span) throw new Error(`no segment at depth ${depth} on the path`);
  return span.segmentId;
}
