import "server-only";
import { and, asc, eq, gte, isNull, lt, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { modelRefSchema } from "@/lib/model-ref-schema";
import { titleFromMessage } from "@/lib/title";
import { idSchema, messageContentSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { postgresError, UNIQUE_VIOLATION } from "./errors";
import {
  appendMessage,
  messageColumns,
  ownsConversation,
  PARENT_NOT_IN_CONVERSATION,
  type StoredMessage,
  sameMessageOrConflict,
} from "./messages";
import { conversations, messages } from "./schema";
import { startTurnStatement } from "./turn-statement";

/** A server's promise to checkpoint a reply again within `ms`, or be presumed dead. */
export interface Lease {
  owner: string;
  ms: number;
}

export const leaseSchema = z.object({
  owner: z.string().min(1).max(200),
  ms: z.number().int().min(100).max(600_000),
});

const leaseExpiry = (ms: number) => sql`now() + ${ms}::int * interval '1 millisecond'`;
// Live: streaming under a lease that has not run out. A NULL lease is never live (NULL >=
// now() is not true), and deadStreaming below counts it as expired, so no row is neither.
const liveStreaming = and(
  eq(messages.status, "streaming"),
  gte(messages.leaseExpiresAt, sql`now()`),
);
const deadStreaming = and(
  eq(messages.status, "streaming"),
  or(isNull(messages.leaseExpiresAt), lt(messages.leaseExpiresAt, sql`now()`)),
);

export async function assertOwned(db: Database, conversationId: string, userId: string) {
  if (!(await ownsConversation(db, conversationId, userId))) throw new NotFoundError();
}

/** Marks the conversation's streaming replies whose server died as interrupted, for good. */
export async function settleDeadReplies(db: Database, conversationId: string) {
  await db
    .update(messages)
    .set({ status: "interrupted", updatedAt: sql`now()` })
    .where(and(eq(messages.conversationId, conversationId), deadStreaming));
}

const startTurnInput = z.object({
  userId: idSchema,
  conversationId: idSchema,
  message: z.object({ id: idSchema, content: messageContentSchema }),
  replyId: idSchema,
  lease: leaseSchema,
  // The message the new one follows: another version of that message's child (an edit, a send
  // on another branch). Null: a new root (an edit of a first message). Absent: after the
  // conversation's current leaf.
  parentId: idSchema.nullable().optional(),
  // The model answering the turn, which becomes the conversation's. Absent: it keeps its own.
  model: modelRefSchema.optional(),
});

export type StartTurnInput = z.input<typeof startTurnInput>;

export interface Turn {
  userMessage: StoredMessage;
  /** The reply to the message; null only for a message stored before replies were linked. */
  reply: StoredMessage | null;
  /** False when the message was already stored: nothing new was written. */
  created: boolean;
}

// Rolls the turn's transaction back when its user message turned out to be stored meanwhile.
class StoredMeanwhile extends Error {}

/**
 * One turn of a conversation, atomically: the conversation (created if absent), the user's
 * message and an empty `streaming` reply leased to this server. Sending the same message again
 * writes nothing and returns what was stored, reply included. When another reply is still
 * streaming in the conversation, nothing is stored and a ConflictError says so.
 */
export async function startTurn(db: Database, input: StartTurnInput): Promise<Turn> {
  const turn = parseInput(startTurnInput, input);
  const fast = await newTurnInOneStatement(db, turn);
  if (fast) return fast;
  try {
    return await db.transaction((tx) => startTurnIn(tx, turn));
  } catch (error) {
    if (!(error instanceof StoredMeanwhile)) throw error;
    // The message id was stored meanwhile (a concurrent send of the same message, or a reused
    // id): answer as for any resend.
    return storedTurn(db, turn);
  }
}

/**
 * The common case (the user's conversation, a new message, no live reply) in one round trip;
 * null when anything is unusual, for the transaction below to sort out and answer.
 */
async function newTurnInOneStatement(
  db: Database,
  turn: z.output<typeof startTurnInput>,
): Promise<Turn | null> {
  try {
    const rows = await startTurnStatement(db).execute({
      conversationId: turn.conversationId,
      userId: turn.userId,
      messageId: turn.message.id,
      content: turn.message.content,
      title: titleFromMessage(turn.message.content),
      replyId: turn.replyId,
      leaseOwner: turn.lease.owner,
      leaseMs: turn.lease.ms,
      parentId: turn.parentId ?? null,
      asRoot: turn.parentId === null,
      modelEndpoint: turn.model?.endpointId ?? null,
      model: turn.model?.modelId ?? null,
    });
    const userMessage = rows.find((row) => row.role === "user");
    const reply = rows.find((row) => row.role === "assistant");
    return userMessage && reply ? { userMessage, reply, created: true } : null;
  } catch (error) {
    const info = postgresError(error);
    if (info?.code === UNIQUE_VIOLATION) return null;
    // Raised by the messages_with_tree_position trigger: the parent is not in this conversation.
    if (info?.constraint === PARENT_NOT_IN_CONVERSATION) throw new NotFoundError();
    throw error;
  }
}

/**
 * The turn of a message that is already stored: the message (if it matches) and its first reply
 * (later ones are regenerated versions, not what this send started).
 */
async function storedTurn(db: Database, turn: z.output<typeof startTurnInput>): Promise<Turn> {
  const { userId, conversationId, message } = turn;
  const userMessage = await sameMessageOrConflict(db, {
    ...message,
    conversationId,
    userId,
    role: "user",
  });
  const [reply] = await db
    .select(messageColumns)
    .from(messages)
    .where(eq(messages.replyTo, message.id))
    .orderBy(asc(messages.sequence))
    .limit(1);
  return { userMessage, reply: reply ?? null, created: false };
}

async function startTurnIn(tx: Database, turn: z.output<typeof startTurnInput>): Promise<Turn> {
  const { userId, conversationId, message } = turn;
  const userValues = { ...message, conversationId, userId, role: "user" as const };
  const model = { modelEndpoint: turn.model?.endpointId, model: turn.model?.modelId };
  const created = await tx
    .insert(conversations)
    .values({ id: conversationId, userId, ...model })
    .onConflictDoNothing({ target: conversations.id })
    .returning({ id: conversations.id });
  // A conversation created just now holds nothing to check or settle: one statement saved on
  // the path of every first message.
  if (created.length === 0) {
    await assertOwned(tx, conversationId, userId);
    const [already] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.id, message.id))
      .limit(1);
    if (already) return storedTurn(tx, turn);
    await settleDeadReplies(tx, conversationId);
    if (turn.model) {
      await tx.update(conversations).set(model).where(eq(conversations.id, conversationId));
    }
  }

  const userMessage = await appendMessage(tx, {
    ...userValues,
    status: "complete",
    replyTo: null,
    lease: null,
    parentId: turn.parentId,
  });
  if (!userMessage) throw new StoredMeanwhile();
  const reply = await appendMessage(tx, {
    id: turn.replyId,
    conversationId,
    userId,
    role: "assistant",
    content: "",
    status: "streaming",
    replyTo: message.id,
    lease: turn.lease,
    parentId: message.id,
  });
  if (!reply) throw new ConflictError("This reply id is already in use");
  return { userMessage, reply, created: true };
}

export const existingReplyInput = z.object({
  userId: idSchema,
  conversationId: idSchema,
  replyId: idSchema,
  lease: leaseSchema,
});

const continueInput = existingReplyInput.extend({
  /** The reply length cap (REPLY_MAX_CHARS): a reply this long (or 1 short) cannot be continued. */
  maxChars: z.number().int().min(1).optional(),
});

export type StartContinueInput = z.input<typeof continueInput>;

/**
 * Starts a reply run that extends a finished, stopped, failed or interrupted reply in place: it
 * keeps its id, sequence and text and goes back to `streaming` under a new lease. Refused with a
 * ConflictError when it or another reply is live, and when it is already at `maxChars` or one
 * unit short of it (it would stop at once); nothing is written then. (Regenerating makes a new
 * version instead: db/regenerate.ts.)
 */
export async function startContinue(
  db: Database,
  input: StartContinueInput,
): Promise<StoredMessage> {
  const { maxChars, userId, conversationId, replyId, lease } = parseInput(continueInput, input);
  return db.transaction(async (tx) => {
    await assertOwned(tx, conversationId, userId);
    await settleDeadReplies(tx, conversationId);
    const target = and(
      eq(messages.id, replyId),
      eq(messages.conversationId, conversationId),
      eq(messages.role, "assistant"),
    );
    const [current] = await tx.select({ id: messages.id }).from(messages).where(target).limit(1);
    if (!current) throw new NotFoundError("Reply");
    try {
      const [reopened] = await tx
        .update(messages)
        .set({
          status: "streaming",
          error: null,
          finishReason: null,
          inputTokens: null,
          outputTokens: null,
          leaseOwner: lease.owner,
          leaseExpiresAt: leaseExpiry(lease.ms),
          updatedAt: sql`now()`,
        })
        // The guard is what makes two concurrent continues safe: the second one's UPDATE waits
        // on the first's row lock, then re-reads the row, finds it streaming and matches
        // nothing. Checking a status read earlier would let both through (two model calls,
        // interleaved texts).
        .where(and(target, ne(messages.status, "streaming")))
        .returning(messageColumns);
      if (!reopened) throw new ConflictError("This reply is still being generated");
      // One unit short of the cap counts as at it: that is where a reply stops when the cap
      // falls inside an emoji, and one unit has no room for another. Checked on the row the
      // UPDATE returned (no second read of a long text); throwing rolls it all back.
      if (maxChars !== undefined && reopened.content.length >= maxChars - 1) {
        throw new ConflictError(
          `This reply has reached the length limit (${maxChars.toLocaleString("en")} characters) and cannot be continued`,
        );
      }
      await tx
        .update(conversations)
        .set({ updatedAt: sql`now()` })
        .where(eq(conversations.id, conversationId));
      return reopened;
    } catch (error) {
      throw oneLiveReply(error);
    }
  });
}

/** The unique index on streaming rows, as the ConflictError callers answer with. */
export function oneLiveReply(error: unknown): unknown {
  return postgresError(error)?.constraint === "messages_one_streaming_reply_idx"
    ? new ConflictError("A reply is already in progress in this conversation")
    : error;
}

const conversationInput = z.object({ userId: idSchema, conversationId: idSchema });

/**
 * Stops the reply in progress, keeping its text: its server sees the status at its next
 * checkpoint, stops generating and writes the last of its text. Null when nothing is live.
 */
export async function stopReply(
  db: Database,
  input: { userId: string; conversationId: string },
): Promise<StoredMessage | null> {
  const { userId, conversationId } = parseInput(conversationInput, input);
  await assertOwned(db, conversationId, userId);
  const [stopped] = await db
    .update(messages)
    .set({ status: "stopped", finishReason: "stopped", updatedAt: sql`now()` })
    .where(and(eq(messages.conversationId, conversationId), liveStreaming))
    .returning(messageColumns);
  return stopped ?? null;
}

/** The reply being generated right now in the conversation, or null. */
export async function getLiveReply(
  db: Database,
  input: { userId: string; conversationId: string },
): Promise<StoredMessage | null> {
  const { userId, conversationId } = parseInput(conversationInput, input);
  await assertOwned(db, conversationId, userId);
  const [live] = await db
    .select(messageColumns)
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), liveStreaming))
    .limit(1);
  return live ?? null;
}

/** One message of the user's, by id, or null: what a follower of a live reply polls. */
export async function getOwnMessage(
  db: Database,
  input: { userId: string; messageId: string },
): Promise<StoredMessage | null> {
  const { userId, messageId } = parseInput(
    z.object({ userId: idSchema, messageId: idSchema }),
    input,
  );
  const [row] = await db
    .select(messageColumns)
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(messages.id, messageId), eq(conversations.userId, userId)))
    .limit(1);
  return row ?? null;
}

const ownMessagesInput = z
  .array(z.object({ userId: idSchema, messageId: idSchema }))
  .min(1)
  .max(1000);

/**
 * Many messages, each by id for its own user, in one statement: what an instance's reply
 * watcher polls for all the replies its followers follow. A pair whose message is gone or not
 * that user's is simply absent from the result.
 */
export async function getOwnMessages(
  db: Database,
  pairs: Array<{ userId: string; messageId: string }>,
): Promise<StoredMessage[]> {
  const wanted = parseInput(ownMessagesInput, pairs);
  // Ownership stays in the query: each id matches only together with its own user's id.
  const tuples = sql.join(
    wanted.map(({ messageId, userId }) => sql`(${messageId}::uuid, ${userId}::uuid)`),
    sql`, `,
  );
  return db
    .select(messageColumns)
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(sql`(${messages.id}, ${conversations.userId}) in (${tuples})`);
}
