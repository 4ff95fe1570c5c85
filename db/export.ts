import "server-only";
import { and, asc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import { getBranchPage } from "./branches";
import type { Database } from "./client";
import { type ConversationSummary, conversationColumns } from "./conversations";
import { type Keyset, pastKeyset } from "./cursor";
import { MESSAGE_PAGE_MAX, messageColumns, type StoredMessage } from "./messages";
import { conversations, messages } from "./schema";

export const EXPORT_CONVERSATION_PAGE = 100;
export const EXPORT_MESSAGE_PAGE = 500;

/** A conversation as exported: with the end of its current branch. */
export type ExportedConversation = ConversationSummary & { currentLeafId: string | null };

/** A message as exported: with its place in the tree. */
export type ExportedRow = StoredMessage & { parentId: string | null; versionIndex: number };

/** What an export reads, in order: a conversation, then its messages a page at a time. */
export type ExportChunk =
  | { kind: "conversation"; conversation: ExportedConversation }
  | { kind: "messages"; conversationId: string; messages: ExportedRow[] };

const exportedConversationColumns = {
  ...conversationColumns,
  currentLeafId: conversations.currentLeafId,
};
const exportedRowColumns = {
  ...messageColumns,
  parentId: messages.parentId,
  versionIndex: messages.siblingIndex,
};

const pageSizes = z.object({
  conversationPage: z.number().int().min(1).max(1000).default(EXPORT_CONVERSATION_PAGE),
  messagePage: z.number().int().min(1).max(5000).default(EXPORT_MESSAGE_PAGE),
});

const accountInput = pageSizes.extend({ userId: idSchema });

/**
 * The whole account, read page by page: at most one page of conversations and one page of
 * messages is held at a time, so memory does not grow with the account. No transaction spans
 * the pages (a long download would hold it open, and PGlite's one connection with it).
 * Conversations go oldest first by (created_at, id), which never changes, so activity during
 * the export can neither skip a conversation nor repeat one; a conversation's messages are
 * read by sequence, so a reply still being written is exported as far as it is stored, with
 * its status.
 */
export async function* readAccount(
  db: Database,
  input: { userId: string; conversationPage?: number; messagePage?: number },
): AsyncGenerator<ExportChunk> {
  const { userId, conversationPage, messagePage } = parseInput(accountInput, input);
  let after: Keyset | null = null;
  for (;;) {
    const page: ExportedConversation[] = await db
      .select(exportedConversationColumns)
      .from(conversations)
      .where(
        and(
          eq(conversations.userId, userId),
          pastKeyset(conversations.createdAt, conversations.id, after, "oldest first"),
        ),
      )
      .orderBy(asc(conversations.createdAt), asc(conversations.id))
      .limit(conversationPage);
    for (const conversation of page) {
      yield { kind: "conversation", conversation };
      yield* readMessagePages(db, conversation.id, userId, messagePage);
    }
    const last = page.at(-1);
    if (page.length < conversationPage || !last) return;
    after = { at: last.createdAt, id: last.id };
  }
}

const conversationInput = pageSizes.extend({ userId: idSchema, conversationId: idSchema });

/**
 * One conversation, read like `readAccount` reads each: NotFoundError (before anything is
 * yielded) when it is missing or someone else's.
 */
export async function* readConversation(
  db: Database,
  input: { userId: string; conversationId: string; messagePage?: number },
): AsyncGenerator<ExportChunk> {
  const { userId, conversationId, messagePage } = parseInput(conversationInput, input);
  const conversation = await ownConversation(db, userId, conversationId);
  yield { kind: "conversation", conversation };
  yield* readMessagePages(db, conversation.id, userId, messagePage);
}

/**
 * One conversation's current branch, root first, read like `readConversation` reads all its
 * messages: a branch page at a time (`getBranchPage`, O(page + forks) each), along the branch
 * that was current when the conversation was read, so a switch meanwhile cannot mix two.
 */
export async function* readCurrentBranch(
  db: Database,
  input: { userId: string; conversationId: string; messagePage?: number },
): AsyncGenerator<ExportChunk> {
  const { userId, conversationId, messagePage } = parseInput(conversationInput, input);
  const limit = Math.min(messagePage, MESSAGE_PAGE_MAX);
  const conversation = await ownConversation(db, userId, conversationId);
  yield { kind: "conversation", conversation };
  const leafId = conversation.currentLeafId;
  if (leafId === null) return;
  for (let afterDepth = 0; ; ) {
    const page = await getBranchPage(db, { userId, conversationId, leafId, afterDepth, limit });
    if (page.items.length) yield { kind: "messages", conversationId, messages: page.items };
    const last = page.items.at(-1);
    if (!page.hasNewer || !last) return;
    afterDepth = last.depth;
  }
}

/** The conversation, if it is the user's: NotFoundError otherwise. */
async function ownConversation(
  db: Database,
  userId: string,
  conversationId: string,
): Promise<ExportedConversation> {
  const [conversation] = await db
    .select(exportedConversationColumns)
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)))
    .limit(1);
  if (!conversation) throw new NotFoundError();
  return conversation;
}

async function* readMessagePages(
  db: Database,
  conversationId: string,
  userId: string,
  limit: number,
): AsyncGenerator<ExportChunk> {
  let afterSequence = 0;
  for (;;) {
    // Ownership stays in the query: a conversation deleted (or never ours) reads as empty.
    const page: ExportedRow[] = await db
      .select(exportedRowColumns)
      .from(messages)
      .innerJoin(
        conversations,
        and(eq(conversations.id, messages.conversationId), eq(conversations.userId, userId)),
      )
      .where(and(eq(messages.conversationId, conversationId), gt(messages.sequence, afterSequence)))
      .orderBy(asc(messages.sequence))
      .limit(limit);
    if (page.length) yield { kind: "messages", conversationId, messages: page };
    const last = page.at(-1);
    if (page.length < limit || !last) return;
    afterSequence = last.sequence;
  }
}
