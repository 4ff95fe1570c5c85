import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import {
  ancestorIdsText,
  ancestorUntilText,
  type BranchPage,
  type Path,
  pageOfPath,
  type Span,
  spansTo,
} from "./branches";
import type { Database } from "./client";
import { MESSAGE_PAGE_DEFAULT, MESSAGE_PAGE_MAX } from "./messages";
import { perHandle } from "./per-handle";
import { queryRows } from "./query-rows";
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
 * One read and one write, index lookups only: the two paths come from their segments' ancestry
 * arrays, so the cost grows with the forks on the path, not with the conversation. The write
 * moves the current leaf only if it is still the one read (compare-and-set, in the same
 * statement as the memory), so concurrent switches and appends leave one consistent current leaf;
 * the loser reads again. Switching to a message already on the current branch changes nothing.
 * Another user's conversation, or a message not in it, is NotFound.
 */
export async function switchVersion(
  db: Database,
  input: SwitchVersionInput,
): Promise<{ leafId: string }> {
  const { leafId } = await switchPath(db, parseInput(switchInput, input));
  return { leafId };
}

const switchAndPageInput = switchInput.extend({
  limit: z.number().int().min(1).max(MESSAGE_PAGE_MAX).default(MESSAGE_PAGE_DEFAULT),
});

/**
 * switchVersion, answered with the newest page of the branch it shows: the switch's read already
 * holds that branch's path, so the page costs one more statement (readBranchDepths), not two. What
 * `POST …/switch` answers, so the browser redraws without another request.
 */
export async function switchVersionWithPage(
  db: Database,
  input: z.input<typeof switchAndPageInput>,
): Promise<{ leafId: string } & Omit<BranchPage, "hasNewer">> {
  const { limit, ...ids } = parseInput(switchAndPageInput, input);
  const { leafId, path } = await switchPath(db, ids);
  const { items, hasMore } = await pageOfPath(db, path, { limit });
  return { leafId, items, hasMore };
}

/**
 * The switch itself, answering the new leaf and the path to it as read (for a page along it
 * without reading the path again). Input already parsed.
 */
export async function switchPath(
  db: Database,
  { userId, conversationId, messageId }: z.output<typeof switchInput>,
): Promise<{ leafId: string; path: Path }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await readBoth(db, { userId, conversationId, messageId });
    if (!read) throw new NotFoundError();
    const { shownLeafId, leaf, target } = read;
    const shown = spansTo(leaf);
    const fork = firstDifference(shown, spansTo(target));
    if (fork > target.depth) {
      return { leafId: shownLeafId, path: { leafDepth: leaf.depth, spans: shown } };
    }
    // No version to remember when the target lies below the shown leaf (a leaf has no children,
    // so only a stale read gets here; the compare-and-set then fails).
    const left = fork <= leaf.depth ? segmentAt(shown, fork) : null;
    const moved = await queryRows<{ id: string }>(
      db,
      sql`with moved as (
        update conversations set current_leaf_id = ${target.tip.id}
        where id = ${conversationId} and current_leaf_id = ${shownLeafId}
        returning id
      ), remembered as (
        update messages set last_leaf_id = ${shownLeafId}
        where segment_id = ${left}::uuid and depth = ${fork} and exists (select 1 from moved)
          -- Switching back and forth rewrites the same memory: a message row is wide and
          -- indexed many ways (search included), so an unchanged one is left alone.
          and last_leaf_id is distinct from ${shownLeafId}::uuid
        returning id
      )
      select id from moved`,
    );
    if (moved.length) {
      const tip = target.tip;
      return { leafId: tip.id, path: { leafDepth: tip.depth, spans: spansTo(tip) } };
    }
  }
  throw new ConflictError("The conversation kept changing; try again");
}

const versionInput = z.object({
  userId: idSchema,
  conversationId: idSchema,
  siblingOf: idSchema,
  versionIndex: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

/**
 * The id of version `versionIndex` (0-based) of a message: the child of the same parent (the
 * conversation's root, for a root) with that sibling index. What the ‹ k / n › buttons switch to,
 * since a page carries a message's version number and count but not its siblings' ids. Two
 * probes of unique indexes. Another user's conversation, a message not in it, or a version that
 * does not exist is NotFound.
 */
export async function findVersion(
  db: Database,
  input: z.input<typeof versionInput>,
): Promise<string> {
  const { userId, conversationId, siblingOf, versionIndex } = parseInput(versionInput, input);
  const [sibling] = await db
    .select({ parentId: messages.parentId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.id, siblingOf),
        eq(messages.conversationId, conversationId),
        eq(conversations.userId, userId),
      ),
    )
    .limit(1);
  if (!sibling) throw new NotFoundError();
  const [version] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, conversationId),
        sibling.parentId === null
          ? isNull(messages.parentId)
          : eq(messages.parentId, sibling.parentId),
        eq(messages.siblingIndex, versionIndex),
      ),
    )
    .limit(1);
  if (!version) throw new NotFoundError("Version");
  return version.id;
}

// Each retry means another switch or an append got in between: a person's own clicks and
// replies, so a few are plenty.
const MAX_ATTEMPTS = 10;

type Place = {
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
async function readBoth(
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
