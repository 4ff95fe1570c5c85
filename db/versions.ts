import "server-only";
import { and, eq, isNull, sql, type WithSubquery } from "drizzle-orm";
import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import {
  type BranchPage,
  depthsParams,
  depthsQuery,
  pageOfPath,
  pageWindow,
  type Span,
  spansTo,
} from "./branches";
import type { Database } from "./client";
import { MESSAGE_PAGE_DEFAULT, MESSAGE_PAGE_MAX } from "./messages";
import { conversations, messages } from "./schema";
import { readBoth } from "./switch-read";

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
  const { leafId, page } = await switchPath(db, ids, { limit });
  return { leafId, items: page.items, hasMore: page.hasMore };
}

type PageQuery = Parameters<typeof pageWindow>[1];

/**
 * The switch itself, answering the new leaf, and the page `window` of the branch it shows: read
 * in the same statement as the switch's write, so a switch with its page costs two round trips,
 * as a page alone does. Input already parsed.
 */
export async function switchPath(
  db: Database,
  { userId, conversationId, messageId }: z.output<typeof switchInput>,
  window: PageQuery = { limit: 1 },
): Promise<{ leafId: string; page: BranchPage }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const read = await readBoth(db, { userId, conversationId, messageId });
    if (!read) throw new NotFoundError();
    const { shownLeafId, leaf, target } = read;
    const shown = spansTo(leaf);
    const fork = firstDifference(shown, spansTo(target));
    if (fork > target.depth) {
      const path = { leafDepth: leaf.depth, spans: shown };
      return { leafId: shownLeafId, page: await pageOfPath(db, path, window) };
    }
    // No version to remember when the target lies below the shown leaf (a leaf has no children,
    // so only a stale read gets here; the compare-and-set then fails).
    const left = fork <= leaf.depth ? { segmentId: segmentAt(shown, fork), depth: fork } : null;
    const tip = target.tip;
    const page = await moveAndRead(db, {
      conversationId,
      from: shownLeafId,
      to: { id: tip.id, depth: tip.depth, spans: spansTo(tip) },
      left,
      window,
    });
    if (page) return { leafId: tip.id, page };
  }
  throw new ConflictError("The conversation kept changing; try again");
}

/**
 * One statement: the current leaf moves from `from` to `to` only if it is still `from`
 * (compare-and-set), the version `left` remembers `from`, and the page `window` of the branch
 * ending at `to` is read, returned only if the leaf moved (a branch is never empty, so no rows
 * means another switch or an append got in first). The page reads the rows as they were before
 * the write, which changed none of what it returns.
 */
async function moveAndRead(
  db: Database,
  move: {
    conversationId: string;
    from: string;
    to: { id: string; depth: number; spans: Span[] };
    left: { segmentId: string; depth: number } | null;
    window: PageQuery;
  },
): Promise<BranchPage | null> {
  const moved = db.$with("moved").as(
    db
      .update(conversations)
      .set({ currentLeafId: move.to.id })
      .where(
        and(eq(conversations.id, move.conversationId), eq(conversations.currentLeafId, move.from)),
      )
      .returning({ id: conversations.id }),
  );
  const ctes: WithSubquery[] = [moved];
  if (move.left) {
    const remembered = db.$with("remembered").as(
      db
        .update(messages)
        .set({ lastLeafId: move.from })
        .where(
          and(
            eq(messages.segmentId, move.left.segmentId),
            eq(messages.depth, move.left.depth),
            sql`exists (select 1 from ${moved})`,
            // Switching back and forth rewrites the same memory: a message row is wide and
            // indexed many ways (search included), so an unchanged one is left alone.
            sql`${messages.lastLeafId} is distinct from ${move.from}::uuid`,
          ),
        )
        .returning({ id: messages.id }),
    );
    ctes.push(remembered);
  }
  const { from, to } = pageWindow(move.to.depth, move.window);
  const rows = await depthsQuery(db, depthsParams(move.to.spans, from, to), ctes).where(
    sql`exists (select 1 from ${moved})`,
  );
  if (rows.length === 0) return null;
  return {
    items: rows.sort((a, b) => a.depth - b.depth),
    hasMore: from > 1,
    hasNewer: to < move.to.depth,
  };
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
