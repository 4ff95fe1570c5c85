import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ConflictError } from "@/lib/errors";
import { cursorSchema, idSchema, parseInput } from "@/lib/validation";
import { type BranchMessage, readBranchDepths, spansTo } from "./branches";
import type { Database } from "./client";
import { copyPath } from "./copy-path";
import { decodeKeyset, keysetPage, newestFirst, pastKeyset } from "./cursor";
import { branchSegments, conversations, messages, shares } from "./schema";

export const SHARE_PAGE_DEFAULT = 50;
export const SHARE_PAGE_MAX = 100;
export const SHARED_MESSAGES_DEFAULT = 100;
export const SHARED_MESSAGES_MAX = 200;
const MAX_DEPTH = 2 ** 31 - 1;

/** A share as its owner sees it in Settings. */
export interface ShareSummary {
  id: string;
  conversationId: string;
  /** The conversation's title now (a rename after sharing shows on the link too). */
  title: string | null;
  upToSequence: number;
  sealedToken: string;
  createdAt: Date;
}

/** What a visitor's link opens: never who shared it. */
export interface SharedConversation {
  shareId: string;
  title: string | null;
  upToSequence: number;
  sharedAt: Date;
}

// A token's SHA-256 in hex: the only form of a link the database holds.
const tokenHashSchema = z.string().regex(/^[0-9a-f]{64}$/, "must be a SHA-256 in hex");

// A reply its server is still writing: not part of what a link shows (or copies) until it
// settles. A streaming row whose lease ran out is settled in effect: shown as interrupted.
const liveReply = and(eq(messages.status, "streaming"), sql`${messages.leaseExpiresAt} >= now()`);

const shareSummaryColumns = {
  id: shares.id,
  conversationId: shares.conversationId,
  title: conversations.title,
  upToSequence: shares.upToSequence,
  sealedToken: shares.sealedToken,
  createdAt: shares.createdAt,
};

const createInput = z.object({
  id: idSchema,
  userId: idSchema,
  conversationId: idSchema,
  tokenHash: tokenHashSchema,
  sealedToken: z.string().min(1).max(500),
});

/**
 * Shares the conversation as it is now: the link shows messages up to its current last
 * sequence. Idempotent on the share id: creating the same id again returns the stored share
 * (with its original token) and writes nothing. Null when the conversation is missing or
 * someone else's.
 */
export async function createShare(
  db: Database,
  input: z.input<typeof createInput>,
): Promise<ShareSummary | null> {
  const { id, userId, conversationId, tokenHash, sealedToken } = parseInput(createInput, input);
  // One insert: the snapshot's sequence and the ownership check come from the same row.
  const inserted = await db
    .insert(shares)
    .select(
      db
        .select({
          id: sql`${id}::uuid`.as("id"),
          tokenHash: sql`${tokenHash}::text`.as("token_hash"),
          sealedToken: sql`${sealedToken}::text`.as("sealed_token"),
          conversationId: conversations.id,
          userId: conversations.userId,
          upToSequence: conversations.lastSequence,
          leafId: conversations.currentLeafId,
          createdAt: sql`now()`.as("created_at"),
        })
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId))),
    )
    .onConflictDoNothing()
    .returning({ id: shares.id });
  const existing = await getShare(db, { shareId: id, userId });
  if (inserted.length > 0) return existing;
  if (existing && existing.conversationId === conversationId) return existing;
  if (existing) throw new ConflictError("This share id is already in use");
  const [taken] = await db.select({ id: shares.id }).from(shares).where(eq(shares.id, id));
  if (taken) throw new ConflictError("This share id is already in use");
  return null;
}

const ownedShareInput = z.object({ shareId: idSchema, userId: idSchema });

/** One of the user's shares, or null when it is missing or someone else's. */
export async function getShare(
  db: Database,
  input: { shareId: string; userId: string },
): Promise<ShareSummary | null> {
  const { shareId, userId } = parseInput(ownedShareInput, input);
  const [row] = await db
    .select(shareSummaryColumns)
    .from(shares)
    .innerJoin(conversations, eq(conversations.id, shares.conversationId))
    .where(and(eq(shares.id, shareId), eq(shares.userId, userId)))
    .limit(1);
  return row ?? null;
}

const listInput = z.object({
  userId: idSchema,
  limit: z.number().int().min(1).max(SHARE_PAGE_MAX).default(SHARE_PAGE_DEFAULT),
  cursor: cursorSchema.optional(),
});

/** The user's shares, newest first, one keyset page at a time. */
export async function listShares(
  db: Database,
  input: { userId: string; limit?: number; cursor?: string },
): Promise<{ items: ShareSummary[]; nextCursor: string | null }> {
  const { userId, limit, cursor } = parseInput(listInput, input);
  const after = cursor ? decodeKeyset(cursor) : null;
  const rows = await db
    .select(shareSummaryColumns)
    .from(shares)
    .innerJoin(conversations, eq(conversations.id, shares.conversationId))
    .where(
      and(
        eq(shares.userId, userId),
        pastKeyset(shares.createdAt, shares.id, after, "newest first"),
      ),
    )
    .orderBy(...newestFirst(shares.createdAt, shares.id))
    .limit(limit + 1);
  return keysetPage(rows, limit, (last) => ({ at: last.createdAt, id: last.id }));
}

/** Revokes a share: its link answers 404 from now on. False when not the user's. */
export async function deleteShare(
  db: Database,
  input: { shareId: string; userId: string },
): Promise<boolean> {
  const { shareId, userId } = parseInput(ownedShareInput, input);
  const deleted = await db
    .delete(shares)
    .where(and(eq(shares.id, shareId), eq(shares.userId, userId)))
    .returning({ id: shares.id });
  return deleted.length > 0;
}

/** The conversation a link opens, or null for an unknown or revoked token. */
export async function getSharedConversation(
  db: Database,
  input: { tokenHash: string },
): Promise<SharedConversation | null> {
  const { tokenHash } = parseInput(z.object({ tokenHash: tokenHashSchema }), input);
  const share = await findShareByToken(db, tokenHash);
  if (!share) return null;
  const { shareId, title, upToSequence, sharedAt } = share;
  return { shareId, title, upToSequence, sharedAt };
}

// The one lookup a link makes, for showing it and for copying it: the share with its
// conversation's id and title now, and the branch it shows (the leaf's place, with whether the
// leaf is a reply still being written), or null for an unknown or revoked token.
async function findShareByToken(db: Database, tokenHash: string) {
  const [row] = await db
    .select({
      shareId: shares.id,
      conversationId: shares.conversationId,
      title: conversations.title,
      upToSequence: shares.upToSequence,
      sharedAt: shares.createdAt,
      leafDepth: messages.depth,
      segmentId: branchSegments.id,
      ancestorIds: branchSegments.ancestorIds,
      ancestorUntil: branchSegments.ancestorUntil,
      leafLive: sql<boolean>`coalesce(${liveReply}, false)`,
    })
    .from(shares)
    .innerJoin(conversations, eq(conversations.id, shares.conversationId))
    .leftJoin(
      messages,
      and(eq(messages.id, shares.leafId), eq(messages.conversationId, shares.conversationId)),
    )
    .leftJoin(branchSegments, eq(branchSegments.id, messages.segmentId))
    .where(eq(shares.tokenHash, tokenHash))
    .limit(1);
  if (!row) return null;
  const { leafDepth, segmentId, ancestorIds, ancestorUntil, leafLive, ...share } = row;
  const branch =
    leafDepth !== null && segmentId !== null && ancestorIds !== null && ancestorUntil !== null
      ? {
          spans: spansTo({ segmentId, depth: leafDepth, ancestorIds, ancestorUntil }),
          // A live leaf stays hidden until it settles: the link shows the branch above it.
          depth: leafLive ? leafDepth - 1 : leafDepth,
        }
      : null;
  return { ...share, branch };
}

const sharedPageInput = z.object({
  tokenHash: tokenHashSchema,
  after: z.number().int().min(0).max(MAX_DEPTH).default(0),
  limit: z.number().int().min(1).max(SHARED_MESSAGES_MAX).default(SHARED_MESSAGES_DEFAULT),
});

/**
 * One page of what a link shows, oldest first: the branch that was current when the conversation
 * was shared (ending at the share's `leaf_id`), from the depth after `after` on; a reply still
 * being written stays hidden until it settles. Versions made after sharing, and a switch to
 * another one, change nothing here: the link names its leaf, and a branch above a leaf never
 * changes. Reached through the token, so a revoked link reads nothing even mid-page.
 */
export async function getSharedMessages(
  db: Database,
  input: { tokenHash: string; after?: number; limit?: number },
): Promise<{ items: BranchMessage[]; hasMore: boolean }> {
  const { tokenHash, after, limit } = parseInput(sharedPageInput, input);
  const share = await findShareByToken(db, tokenHash);
  const branch = share?.branch;
  if (!branch || after >= branch.depth) return { items: [], hasMore: false };
  // A branch holds one message per depth, so the page is depths after+1 … to.
  const to = Math.min(branch.depth, after + limit);
  const items = await readBranchDepths(db, branch.spans, after + 1, to);
  return { items, hasMore: to < branch.depth };
}

const copyInput = z.object({
  tokenHash: tokenHashSchema,
  userId: idSchema,
  conversationId: idSchema,
});

/**
 * "Continue in my account": the branch the link shows (its settled messages) becomes a new
 * conversation of `userId`'s, a line numbered 1..n, in one transaction (db/copy-path.ts). Idempotent on `conversationId` (callers
 * derive it from the visitor and the share): when it exists already, nothing is copied again.
 * Null for an unknown or revoked token. The original is only read.
 */
export async function copySharedConversation(
  db: Database,
  input: z.input<typeof copyInput>,
): Promise<{ conversationId: string; created: boolean } | null> {
  const { tokenHash, userId, conversationId } = parseInput(copyInput, input);
  return db.transaction(async (tx) => {
    const share = await findShareByToken(tx, tokenHash);
    if (!share) return null;

    const created = await tx
      .insert(conversations)
      .values({ id: conversationId, userId, title: share.title })
      .onConflictDoNothing({ target: conversations.id })
      .returning({ id: conversations.id });
    if (created.length === 0) {
      // A retry (or a double click waiting on the first one's row lock): the copy is there.
      const [mine] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)));
      if (!mine) throw new ConflictError("This conversation id is already in use");
      return { conversationId, created: false };
    }

    if (share.branch) await copyPath(tx, share.branch, { conversationId, userId });
    return { conversationId, created: true };
  });
}
