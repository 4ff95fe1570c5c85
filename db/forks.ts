import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import { spansTo } from "./branches";
import type { Database } from "./client";
import { type ConversationSummary, getConversation } from "./conversations";
import { copiedId, copyPath } from "./copy-path";
import { branchSegments, conversations, messages } from "./schema";

const forkInput = z.object({
  userId: idSchema,
  sourceId: idSchema,
  messageId: idSchema,
  conversationId: idSchema,
});

export type ForkInput = z.input<typeof forkInput>;

/**
 * "Branch into a new chat" (issue 15, behaviour 5): the path from the root down to `messageId`
 * (its ancestors and itself) becomes the new conversation `conversationId` of the user's, a line
 * with the source's title and model. The source is only read. A reply still being written on the path (only
 * ever the message itself: a live reply has no children) is left out, as "Continue in my
 * account" leaves it out; the copy then ends at its question.
 *
 * Idempotent on `conversationId`: when it exists already and is the user's copy of this path (it
 * holds the copy of the message, or of its parent while the message is a live reply; copied ids
 * derive from the new conversation, the message it ends at and the originals), it is answered as is and nothing is copied
 * again. `created` says which. The id taken by anything else (another source, another user, an
 * ordinary conversation) is a ConflictError. A source not the user's, or a message not in it, is
 * NotFound. One transaction: a read of the message's place, the conversation's insert, and one
 * INSERT … SELECT over the path's segment spans (db/copy-path.ts), however long the path.
 */
export async function forkConversation(
  db: Database,
  input: ForkInput,
): Promise<{ conversation: ConversationSummary; created: boolean }> {
  const { userId, sourceId, messageId, conversationId } = parseInput(forkInput, input);
  return db.transaction(async (tx) => {
    const [message] = await tx
      .select({
        parentId: messages.parentId,
        depth: messages.depth,
        segmentId: branchSegments.id,
        ancestorIds: branchSegments.ancestorIds,
        ancestorUntil: branchSegments.ancestorUntil,
        title: conversations.title,
        modelEndpoint: conversations.modelEndpoint,
        model: conversations.model,
        live: sql<boolean>`coalesce(${messages.status} = 'streaming' and ${messages.leaseExpiresAt} >= now(), false)`,
      })
      .from(conversations)
      .innerJoin(
        messages,
        and(eq(messages.conversationId, conversations.id), eq(messages.id, messageId)),
      )
      .innerJoin(branchSegments, eq(branchSegments.id, messages.segmentId))
      .where(and(eq(conversations.id, sourceId), eq(conversations.userId, userId)))
      .limit(1);
    if (!message) throw new NotFoundError();

    const created = await tx
      .insert(conversations)
      .values({
        id: conversationId,
        userId,
        title: message.title,
        // A branch goes on with the model its source was on.
        modelEndpoint: message.modelEndpoint,
        model: message.model,
      })
      .onConflictDoNothing({ target: conversations.id })
      .returning({ id: conversations.id });
    if (created.length > 0) {
      await copyPath(
        tx,
        { spans: spansTo(message), depth: message.depth },
        { conversationId, userId, idSeed: forkSeed(conversationId, messageId) },
      );
    } else if (!(await holdsCopyOf(tx, { conversationId, userId }, message, messageId))) {
      throw new ConflictError("This conversation id is already in use");
    }
    const conversation = await getConversation(tx, { conversationId, userId });
    if (!conversation) throw new Error("the fork vanished inside its own transaction");
    return { conversation, created: created.length > 0 };
  });
}

// A fork's copied ids derive from the message it ends at too, so only the same request finds
// them: another message, even one on the same path, names another copy.
const forkSeed = (conversationId: string, messageId: string) => `${conversationId}:${messageId}`;

// A retry (or a double click, which waited on the first one's row lock): the user's conversation
// already holds this path's copy.
async function holdsCopyOf(
  db: Database,
  fork: { conversationId: string; userId: string },
  message: { parentId: string | null; live: boolean },
  messageId: string,
): Promise<boolean> {
  // A live reply was left out of the copy, which ends at its question.
  const last = message.live && message.parentId ? message.parentId : messageId;
  const [held] = await db
    .select({ id: messages.id })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(conversations.id, fork.conversationId),
        eq(conversations.userId, fork.userId),
        eq(messages.id, copiedId(forkSeed(fork.conversationId, messageId), last)),
      ),
    )
    .limit(1);
  return held !== undefined;
}
