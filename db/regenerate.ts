import "server-only";
import { and, eq } from "drizzle-orm";
import type { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { idSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { appendMessage, messageColumns, type StoredMessage } from "./messages";
import { assertOwned, existingReplyInput, settleDeadReplies } from "./replies";
import { messages } from "./schema";

const regenerateInput = existingReplyInput.extend({
  /** The new version's id, chosen by the client: asking again with it creates nothing more. */
  newReplyId: idSchema,
});

export type StartRegenerateInput = z.input<typeof regenerateInput>;

export interface RegeneratedReply {
  reply: StoredMessage;
  /** False when `newReplyId` was already this regenerate's reply: nothing was written. */
  created: boolean;
}

// Rolls the transaction back when the new id turned out to be stored meanwhile.
class StoredMeanwhile extends Error {}

/**
 * Starts a reply run that answers the same message again as a new version: an empty `streaming`
 * reply beside `replyId` (same parent, the next version number), leased to this server, which
 * becomes the end of the current branch. The old reply stays as it was, one switch away.
 * Refused with a ConflictError while `replyId` or another reply of the conversation is live.
 */
export async function startRegenerate(
  db: Database,
  input: StartRegenerateInput,
): Promise<RegeneratedReply> {
  const request = parseInput(regenerateInput, input);
  try {
    return await db.transaction((tx) => regenerateIn(tx, request));
  } catch (error) {
    if (!(error instanceof StoredMeanwhile)) throw error;
    // A concurrent call with the same new id got there first: answer as for a resend.
    const target = await findReply(db, request.conversationId, request.replyId);
    if (!target) throw new NotFoundError("Reply");
    return { reply: await storedVersion(db, request, target), created: false };
  }
}

type Request = z.output<typeof regenerateInput>;
type Target = Pick<StoredMessage, "id" | "status"> & {
  parentId: string | null;
  replyTo: string | null;
};

async function regenerateIn(tx: Database, request: Request): Promise<RegeneratedReply> {
  const { userId, conversationId, replyId, newReplyId, lease } = request;
  await assertOwned(tx, conversationId, userId);
  const target = await findReply(tx, conversationId, replyId);
  if (!target) throw new NotFoundError("Reply");
  const [already] = await tx
    .select({ id: messages.id })
    .from(messages)
    .where(eq(messages.id, newReplyId))
    .limit(1);
  if (already) return { reply: await storedVersion(tx, request, target), created: false };
  if (target.status === "streaming") throw new ConflictError("This reply is still being generated");
  await settleDeadReplies(tx, conversationId);
  const reply = await appendMessage(tx, {
    id: newReplyId,
    conversationId,
    userId,
    role: "assistant",
    content: "",
    status: "streaming",
    replyTo: target.replyTo,
    lease,
    // Null for a reply that is a root (an imported tree can hold one): another root.
    parentId: target.parentId,
  });
  if (!reply) throw new StoredMeanwhile();
  return { reply, created: true };
}

async function findReply(
  db: Database,
  conversationId: string,
  replyId: string,
): Promise<Target | undefined> {
  const [target] = await db
    .select({
      id: messages.id,
      status: messageColumns.status,
      parentId: messages.parentId,
      replyTo: messages.replyTo,
    })
    .from(messages)
    .where(
      and(
        eq(messages.id, replyId),
        eq(messages.conversationId, conversationId),
        eq(messages.role, "assistant"),
      ),
    )
    .limit(1);
  return target;
}

/** The stored row of `newReplyId` when it is a version of the same message; else a conflict. */
async function storedVersion(db: Database, request: Request, target: Target) {
  const [stored] = await db
    .select({ ...messageColumns, parentId: messages.parentId })
    .from(messages)
    .where(eq(messages.id, request.newReplyId))
    .limit(1);
  const same =
    stored !== undefined &&
    stored.conversationId === request.conversationId &&
    stored.role === "assistant" &&
    stored.parentId === target.parentId;
  if (!same) throw new ConflictError("A different message was already stored with this id");
  const { parentId: _, ...reply } = stored;
  return reply;
}
