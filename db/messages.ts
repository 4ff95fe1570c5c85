import "server-only";
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { z } from "zod";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { titleFromMessage } from "@/lib/title";
import { idSchema, messageContentSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { NOT_NULL_VIOLATION, postgresError, UNIQUE_VIOLATION } from "./errors";
import { perHandle } from "./per-handle";
import { conversations, type MessageStatus, messageRole, messages } from "./schema";

export const MESSAGE_PAGE_DEFAULT = 50;
/** What the messages_with_tree_position trigger raises for a parent outside the conversation. */
export const PARENT_NOT_IN_CONVERSATION = "messages_parent_in_conversation";
export const MESSAGE_PAGE_MAX = 200;

const {
  leaseOwner: _owner,
  leaseExpiresAt: _expires,
  status: storedStatus,
  searchVector: _words,
  // The conversation's owner, for search; callers already know whose messages they read.
  userId: _userId,
  // The tree's bookkeeping; a branch page (db/branches.ts) reads what callers need of it.
  parentId: _parent,
  depth: _depth,
  siblingIndex: _sibling,
  childCount: _children,
  segmentId: _segment,
  lastLeafId: _lastLeaf,
  ...publicColumns
} = getTableColumns(messages);

/**
 * A reply still marked `streaming` whose lease has run out lost its server: readers see it as
 * `interrupted`. Computed with the database clock so app servers' clocks do not matter. A
 * missing lease counts as expired (a check forbids it since migration 0002; this keeps any
 * such row from reading as live forever).
 */
const effectiveStatus = sql<MessageStatus>`case when ${storedStatus} = 'streaming' and (${messages.leaseExpiresAt} is null or ${messages.leaseExpiresAt} < now()) then 'interrupted'::message_status else ${storedStatus} end`;

export const messageColumns = { ...publicColumns, status: effectiveStatus };

/** A row as just written: its stored status, which a fresh lease keeps from being stale. */
export const writtenColumns = { ...publicColumns, status: storedStatus };

export type StoredMessage = {
  id: string;
  conversationId: string;
  role: "user" | "assistant";
  content: string;
  sequence: number;
  status: MessageStatus;
  finishReason: string | null;
  model: string | null;
  endpoint: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  error: string | null;
  replyTo: string | null;
  createdAt: Date;
  updatedAt: Date;
};

// Strict: a status (or anything else) is not for callers to set; only startTurn writes a
// `streaming` reply, and it always gives it a lease.
const addInput = z.strictObject({
  id: idSchema,
  conversationId: idSchema,
  userId: idSchema,
  role: z.enum(messageRole.enumValues),
  content: messageContentSchema,
  // The message to answer or follow: another version of that message's child (an edit, a send
  // on another branch). Null: a new root (another version of the first message). Absent: after
  // the conversation's current leaf.
  parentId: idSchema.nullable().optional(),
});

export type AddMessageInput = z.input<typeof addInput>;

/**
 * Appends a message with the next sequence number of its conversation.
 *
 * Idempotent on the client-generated id: the same message sent again returns the stored row and
 * writes nothing; the same id with other content, role or conversation is a ConflictError.
 *
 * One statement, so one round trip and atomic without an explicit transaction: a CTE bumps the
 * conversation's counter (its row lock queues concurrent appends, so sequences never collide or
 * skip) and the insert takes the new value. If the id is already stored the insert fails on the
 * primary key and the whole statement, bump included, rolls back. If the conversation is not the
 * user's, the CTE returns no row and the NOT NULL sequence fails the same way.
 */
export async function addMessage(db: Database, input: AddMessageInput): Promise<StoredMessage> {
  const message = parseInput(addInput, input);
  // A finished message: a reply that is still being generated comes from startTurn, which
  // leases it; nothing else may write a `streaming` row.
  const appended = await appendMessage(db, {
    ...message,
    status: "complete",
    replyTo: null,
    lease: null,
  });
  return appended ?? sameMessageOrConflict(db, message);
}

export interface AppendValues {
  id: string;
  conversationId: string;
  userId: string;
  role: "user" | "assistant";
  content: string;
  status: MessageStatus;
  replyTo: string | null;
  lease: { owner: string; ms: number } | null;
  /** Absent: after the conversation's current leaf. Null: a new root. */
  parentId?: string | null;
}

/**
 * The append statement without input validation, for repository functions that validated their
 * own input. Returns null when the id is already stored or the conversation is not the user's
 * (the caller decides which); throws ConflictError when the conversation already has a reply
 * streaming and this is another one.
 */
export async function appendMessage(
  db: Database,
  { lease, parentId, ...values }: AppendValues,
): Promise<StoredMessage | null> {
  try {
    const [inserted] = await appendStatement(db).execute({
      ...values,
      parentId: parentId ?? null,
      // Depth 1 without a parent asks the tree trigger for a new root (migration 0008).
      depth: parentId === null ? 1 : null,
      title: titleFromMessage(values.content),
      leaseOwner: lease?.owner ?? null,
      leaseMs: lease?.ms ?? null,
    });
    return inserted ?? null;
  } catch (error) {
    const info = postgresError(error);
    if (info?.constraint === "messages_one_streaming_reply_idx") {
      throw new ConflictError("A reply is already in progress in this conversation");
    }
    if (info?.constraint === PARENT_NOT_IN_CONVERSATION) throw new NotFoundError();
    if (info?.code === UNIQUE_VIOLATION || info?.code === NOT_NULL_VIOLATION) return null;
    throw error;
  }
}

// Built and prepared once per database handle: building a Drizzle query costs more CPU than
// the database spends running this one, and a named statement is parsed and planned once per
// connection.
const appendStatement = perHandle(prepareAppend);

function prepareAppend(db: Database) {
  const param = (name: string) => sql.placeholder(name);
  const bump = db.$with("bump").as(
    db
      .update(conversations)
      .set({
        lastSequence: sql`${conversations.lastSequence} + 1`,
        updatedAt: sql`now()`,
        // The first user message names an untitled conversation.
        title: sql`case when ${param("role")}::message_role = 'user'
          then coalesce(${conversations.title}, ${param("title")}::text)
          else ${conversations.title} end`,
      })
      .where(
        and(
          eq(conversations.id, param("conversationId")),
          eq(conversations.userId, param("userId")),
        ),
      )
      .returning({ sequence: conversations.lastSequence }),
  );
  return db
    .with(bump)
    .insert(messages)
    .values({
      id: param("id"),
      conversationId: param("conversationId"),
      userId: param("userId"),
      role: param("role"),
      content: param("content"),
      status: param("status"),
      replyTo: param("replyTo"),
      parentId: param("parentId"),
      depth: sql`${param("depth")}::int`,
      leaseOwner: param("leaseOwner"),
      leaseExpiresAt: sql`now() + ${param("leaseMs")}::int * interval '1 millisecond'`,
      sequence: sql`(select ${bump.sequence} from ${bump})`,
    })
    .returning(writtenColumns)
    .prepare("chatkeep_add_message");
}

/** After an append that stored nothing: the identical stored message, or why not. */
export async function sameMessageOrConflict(
  db: Database,
  message: Pick<AppendValues, "id" | "conversationId" | "userId" | "role" | "content">,
): Promise<StoredMessage> {
  const [existing] = await db
    .select({ ...messageColumns, ownerId: conversations.userId })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, message.id))
    .limit(1);
  if (!existing) throw new NotFoundError();
  const same =
    existing.ownerId === message.userId &&
    existing.conversationId === message.conversationId &&
    existing.role === message.role &&
    existing.content === message.content;
  if (!same) throw new ConflictError("A different message was already stored with this id");
  const { ownerId: _, ...stored } = existing;
  return stored;
}

export async function ownsConversation(
  db: Database,
  conversationId: string,
  userId: string,
): Promise<boolean> {
  const [owned] = await db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), eq(conversations.userId, userId)))
    .limit(1);
  return owned !== undefined;
}
