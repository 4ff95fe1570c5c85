import "server-only";
import { and, eq, type SQLWrapper, sql } from "drizzle-orm";
import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import {
  MESSAGE_PAGE_DEFAULT,
  MESSAGE_PAGE_MAX,
  messageColumns,
  type StoredMessage,
} from "./messages";
import { perHandle } from "./per-handle";
import { branchSegments, conversations, messages } from "./schema";

const MAX_DEPTH = 2 ** 31 - 1;

/** A message on a branch: where it sits, and which of its parent's versions it is. */
export type BranchMessage = StoredMessage & {
  parentId: string | null;
  /** Position along the branch, 1 for a root: the keyset of branch pages. */
  depth: number;
  /** 0-based among its parent's children (the conversation's roots for a root). */
  versionIndex: number;
  /** How many children its parent has: the n of "version k / n". */
  versionCount: number;
};

export type BranchPage = { items: BranchMessage[]; hasMore: boolean; hasNewer: boolean };

const branchPageInput = z
  .object({
    userId: idSchema,
    conversationId: idSchema,
    leafId: idSchema.optional(),
    beforeDepth: z.number().int().min(1).max(MAX_DEPTH).optional(),
    afterDepth: z.number().int().min(0).max(MAX_DEPTH).optional(),
    aroundDepth: z.number().int().min(1).max(MAX_DEPTH).optional(),
    limit: z.number().int().min(1).max(MESSAGE_PAGE_MAX).default(MESSAGE_PAGE_DEFAULT),
  })
  .refine(
    (input) =>
      [input.beforeDepth, input.afterDepth, input.aroundDepth].filter((d) => d !== undefined)
        .length <= 1,
    "give at most one of beforeDepth, afterDepth and aroundDepth",
  );

export type BranchPageInput = z.input<typeof branchPageInput>;

/**
 * One page of the branch that ends at `leafId` (the conversation's current leaf when absent),
 * oldest first:
 * - by default, or with `beforeDepth`: the newest `limit` messages above `beforeDepth`;
 * - with `afterDepth`: the oldest `limit` messages below it;
 * - with `aroundDepth`: half the page before that depth, the rest from it on.
 *
 * A branch holds exactly one message at each depth from 1 to its leaf's, so the depths a page
 * covers are known before reading anything. One read finds the leaf's segment, whose ancestry
 * says which depths each segment on the path covers; a second reads only the segments that
 * overlap the page, with one index range scan on (segment_id, depth) each. The cost is the page
 * plus the forks inside it, however long or bushy the conversation is.
 */
export async function getBranchPage(db: Database, input: BranchPageInput): Promise<BranchPage> {
  return pageOfBranch(db, parseInput(branchPageInput, input));
}

type PageQuery = {
  userId: string;
  conversationId: string;
  leafId?: string;
  beforeDepth?: number;
  afterDepth?: number;
  aroundDepth?: number;
  limit: number;
};

async function pageOfBranch(db: Database, query: PageQuery): Promise<BranchPage> {
  const path = await readPath(db, query);
  if (!path) return { items: [], hasMore: false, hasNewer: false };
  return pageOfPath(db, path, query);
}

/** A page of a path already read (a switch's, say): one statement. */
export async function pageOfPath(
  db: Database,
  path: Path,
  query: { beforeDepth?: number; afterDepth?: number; aroundDepth?: number; limit: number },
): Promise<BranchPage> {
  const { from, to } = pageWindow(path.leafDepth, query);
  const items = from <= to ? await readBranchDepths(db, path.spans, from, to) : [];
  return { items, hasMore: from > 1, hasNewer: to < path.leafDepth };
}

export type Span = { segmentId: string; from: number; to: number };
export type Path = { leafDepth: number; spans: Span[] };

// The conversation's own pages: its current branch, with the position along it (depth) as the
// keyset. On a conversation that never branched depth equals sequence, so cursors handed out
// before branches existed still point at the same messages.

const pageInput = z.object({
  conversationId: idSchema,
  userId: idSchema,
  before: z.number().int().min(1).max(MAX_DEPTH).optional(),
  limit: z.number().int().min(1).max(MESSAGE_PAGE_MAX).default(MESSAGE_PAGE_DEFAULT),
});

/**
 * One page of the current branch, oldest first: the newest `limit` messages at a depth below
 * `before` (the newest page when absent).
 */
export async function getMessages(
  db: Database,
  input: { conversationId: string; userId: string; before?: number; limit?: number },
): Promise<{ items: BranchMessage[]; hasMore: boolean }> {
  const { before, ...query } = parseInput(pageInput, input);
  const { items, hasMore } = await pageOfBranch(db, { ...query, beforeDepth: before });
  return { items, hasMore };
}

const afterInput = pageInput.omit({ before: true }).extend({
  after: z.number().int().min(0).max(MAX_DEPTH),
});

/**
 * The page after a depth, oldest first: the oldest `limit` messages of the current branch below
 * `after`. For a reader who opened the conversation in its middle and scrolls towards the end.
 */
export async function getMessagesAfter(
  db: Database,
  input: { conversationId: string; userId: string; after: number; limit?: number },
): Promise<{ items: BranchMessage[]; hasNewer: boolean }> {
  const { after, ...query } = parseInput(afterInput, input);
  const { items, hasNewer } = await pageOfBranch(db, { ...query, afterDepth: after });
  return { items, hasNewer };
}

const aroundInput = pageInput.omit({ before: true }).extend({
  around: z.number().int().min(1).max(MAX_DEPTH),
});

/**
 * A page of the current branch centred on a depth (a search result): up to half the page before
 * it, the message itself and the rest after it, oldest first, with whether there is more on
 * either side.
 */
export async function getMessagesAround(
  db: Database,
  input: { conversationId: string; userId: string; around: number; limit?: number },
): Promise<BranchPage> {
  const { around, ...query } = parseInput(aroundInput, input);
  return pageOfBranch(db, { ...query, aroundDepth: around });
}

/** The depths a page covers on a branch whose leaf is at `leafDepth`. */
function pageWindow(
  leafDepth: number,
  query: { beforeDepth?: number; afterDepth?: number; aroundDepth?: number; limit: number },
): { from: number; to: number } {
  const { limit } = query;
  if (query.afterDepth !== undefined) {
    return { from: query.afterDepth + 1, to: Math.min(leafDepth, query.afterDepth + limit) };
  }
  if (query.aroundDepth !== undefined) {
    const older = Math.floor(limit / 2);
    const olderTo = Math.min(leafDepth, query.aroundDepth - 1);
    const to = Math.min(leafDepth, query.aroundDepth + (limit - older) - 1);
    return { from: Math.max(1, olderTo - older + 1), to: Math.max(to, olderTo) };
  }
  const to = Math.min(leafDepth, (query.beforeDepth ?? MAX_DEPTH) - 1);
  return { from: Math.max(1, to - limit + 1), to };
}

/**
 * The leaf's depth and the depth range of every segment on its path, root first; null for a
 * conversation of the user's with no messages yet. Ownership is in the WHERE clause: another
 * user's conversation, or a leaf not in it, is NotFound.
 */
async function readPath(
  db: Database,
  query: { userId: string; conversationId: string; leafId?: string },
): Promise<Path | null> {
  const [leaf] = await pathStatement(db).execute({
    userId: query.userId,
    conversationId: query.conversationId,
    leafId: query.leafId ?? null,
  });
  if (!leaf) {
    if (query.leafId === undefined && (await ownsEmptyConversation(db, query))) return null;
    throw new NotFoundError();
  }
  return { leafDepth: leaf.depth, spans: spansTo(leaf) };
}

// A segment's ancestry travels as text: node-postgres and Drizzle parse a uuid[] (or int[])
// character by character, 1.2 ms for the two arrays of a branch 250 forks deep, where a split
// of the same text is a few microseconds.
export const ancestorIdsText = (column: SQLWrapper) =>
  sql<string[]>`array_to_string(${column}, ',')`.mapWith((text: string) =>
    text === "" ? [] : text.split(","),
  );
export const ancestorUntilText = (column: SQLWrapper) =>
  sql<number[]>`array_to_string(${column}, ',')`.mapWith((text: string) =>
    text === "" ? [] : text.split(",").map(Number),
  );

// Prepared once per connection, as every read of a page is: planning the join costs more than
// running it.
const pathStatement = perHandle((db: Database) => {
  const param = (name: string) => sql.placeholder(name);
  return db
    .select({
      depth: messages.depth,
      segmentId: branchSegments.id,
      ancestorIds: ancestorIdsText(branchSegments.ancestorIds),
      ancestorUntil: ancestorUntilText(branchSegments.ancestorUntil),
    })
    .from(conversations)
    .innerJoin(
      messages,
      and(
        eq(messages.conversationId, conversations.id),
        eq(messages.id, sql`coalesce(${param("leafId")}::uuid, ${conversations.currentLeafId})`),
      ),
    )
    .innerJoin(branchSegments, eq(branchSegments.id, messages.segmentId))
    .where(
      and(
        eq(conversations.id, sql`${param("conversationId")}::uuid`),
        eq(conversations.userId, sql`${param("userId")}::uuid`),
      ),
    )
    .limit(1)
    .prepare("chatkeep_branch_path");
});

/**
 * The depth range every segment covers on the path to a message at `depth` in `segmentId`, root
 * first, from that segment's ancestry alone.
 */
export function spansTo(message: {
  segmentId: string;
  depth: number;
  ancestorIds: string[];
  ancestorUntil: number[];
}): Span[] {
  const spans: Span[] = [];
  let from = 1;
  message.ancestorIds.forEach((segmentId, i) => {
    const to = message.ancestorUntil[i] as number;
    spans.push({ segmentId, from, to });
    from = to + 1;
  });
  spans.push({ segmentId: message.segmentId, from, to: message.depth });
  return spans;
}

async function ownsEmptyConversation(
  db: Database,
  query: { userId: string; conversationId: string },
): Promise<boolean> {
  const [owned] = await db
    .select({ leaf: conversations.currentLeafId })
    .from(conversations)
    .where(and(eq(conversations.id, query.conversationId), eq(conversations.userId, query.userId)))
    .limit(1);
  return owned !== undefined && owned.leaf === null;
}

const branchColumns = {
  ...messageColumns,
  parentId: messages.parentId,
  depth: messages.depth,
  versionIndex: messages.siblingIndex,
  // The parent's child count (a root: the conversation's root count), one primary-key probe.
  // Plain names, not Drizzle's column references: inside the subqueries those would bind to
  // the aliased inner table.
  versionCount: sql<number>`coalesce(
    (select p.child_count from messages as p where p.id = messages.parent_id),
    (select c.root_count from conversations as c where c.id = messages.conversation_id)
  )`.mapWith(Number),
};

/**
 * The path's messages from depth `from` to `to`: one index range scan on (segment_id, depth) per
 * segment they lie in, driven by the list of (segment, depth range) pairs. One statement text
 * whatever the number of segments, so it is prepared once per connection.
 *
 * No ownership check: exported for a reader that found the path through something granting it
 * (a share's token, db/shares.ts); every other reader goes through readPath's.
 */
export async function readBranchDepths(
  db: Database,
  spans: Span[],
  from: number,
  to: number,
): Promise<BranchMessage[]> {
  const rows = await depthsStatement(db).execute(depthsParams(spans, from, to));
  // Each range is one stretch of the path; nothing promises the scans come back in order.
  return rows.sort((a, b) => a.depth - b.depth);
}

const pgArray = (values: Array<string | number>) => `{${values.join(",")}}`;

/** The statement's parameters: the spans that overlap [from, to], clipped to it. */
export function depthsParams(spans: Span[], from: number, to: number) {
  const overlapping = spans.filter((span) => span.from <= to && span.to >= from);
  return {
    segments: pgArray(overlapping.map((span) => span.segmentId)),
    froms: pgArray(overlapping.map((span) => Math.max(from, span.from))),
    tos: pgArray(overlapping.map((span) => Math.min(to, span.to))),
  };
}

const depthsStatement = perHandle((db: Database) =>
  depthsQuery(db).prepare("chatkeep_branch_page"),
);

/** The statement readBranchDepths runs; exported for the plan test (db/branch-cost.test.ts). */
export function depthsQuery(
  db: Database,
  values: Record<"segments" | "froms" | "tos", unknown> = {
    segments: sql.placeholder("segments"),
    froms: sql.placeholder("froms"),
    tos: sql.placeholder("tos"),
  },
) {
  return db
    .select(branchColumns)
    .from(messages)
    .innerJoin(
      sql`unnest(${values.segments}::uuid[], ${values.froms}::int[], ${values.tos}::int[])
        as span (segment_id, from_depth, to_depth)`,
      sql`${messages.segmentId} = span.segment_id
        and ${messages.depth} between span.from_depth and span.to_depth`,
    );
}

/** The segments on the path to a leaf, with the depths each covers there; for tests. */
export async function pathSpans(
  db: Database,
  query: { userId: string; conversationId: string; leafId?: string },
): Promise<Span[]> {
  return (await readPath(db, query))?.spans ?? [];
}
