import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ConflictError, ValidationError } from "@/lib/errors";
import { IMPORT_MAX_MESSAGES } from "@/lib/import-limits";
import { modelRefSchema } from "@/lib/model-ref-schema";
import { isStorableDate, STORABLE_DATE_RANGE } from "@/lib/storable-date";
import { idSchema, parseInput, saysSomething, storedContentSchema } from "@/lib/validation";
import type { Database } from "./client";
import { type PlacedTree, placeTree } from "./import-tree";
import { branchSegments, conversations, messageRole, messages } from "./schema";

/** Rows per INSERT: well under Postgres's 65,535 parameters at the 20 columns of a message row. */
export const IMPORT_INSERT_BATCH = 500;

// A reply being generated belongs to a live server; nothing imported is, so `streaming` is
// not accepted here (the import maps it to `interrupted`).
const importedStatus = z.enum(["complete", "stopped", "failed", "interrupted"]);

const tokens = z.number().int().min(0).max(2_147_483_647).nullable();
const shortText = z.string().max(10_000).nullable();
// The readers refuse such dates naming the field; this keeps any other caller's from the INSERT.
const storableDate = z.date().refine(isStorableDate, `must be ${STORABLE_DATE_RANGE}`);

const importedMessage = z
  .object({
    id: idSchema,
    role: z.enum(messageRole.enumValues),
    content: storedContentSchema,
    status: importedStatus,
    finishReason: z.string().max(100).nullable(),
    model: z.string().max(200).nullable(),
    endpoint: z.string().max(100).nullable().default(null),
    inputTokens: tokens,
    outputTokens: tokens,
    error: shortText,
    replyTo: idSchema.nullable(),
    createdAt: storableDate,
    updatedAt: storableDate,
    // The message it follows (null: a root); absent: the one before it in the list, a line.
    parentId: idSchema.nullable().optional(),
    // Its place among its parent's versions; absent: their order in the list.
    siblingIndex: z.number().int().min(0).max(IMPORT_MAX_MESSAGES).optional(),
  })
  .refine(saysSomething, { message: "a user message must not be empty", path: ["content"] });

const importInput = z.object({
  userId: idSchema,
  conversation: z.object({
    id: idSchema,
    title: z.string().max(200).nullable(),
    createdAt: storableDate,
    updatedAt: storableDate,
    messages: z.array(importedMessage).max(IMPORT_MAX_MESSAGES),
    // The end of the branch shown; absent: the last message of the list.
    currentLeafId: idSchema.nullable().optional(),
    // The model it was on; kept on a new conversation, never changed on one the user has.
    model: modelRefSchema.nullable().optional(),
  }),
});

export type ImportConversationInput = z.input<typeof importInput>;
export type ImportedMessage = z.input<typeof importedMessage>;

type Conversation = z.output<typeof importInput>["conversation"];
type Message = Conversation["messages"][number];
type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/**
 * Stores one conversation and all its messages, in one transaction: the caller never leaves a
 * half conversation behind, whatever fails. The messages are a tree (each names its parent,
 * which must come before it in the list; by default the message before it, a line) and get
 * sequences 1..n in the given order; the tree columns are written here by the rules of the
 * insert trigger (`db/import-tree.ts`).
 *
 * Idempotent on the ids: a conversation the user already has gains only the messages it lacks
 * (a file imported by a release that kept one branch brings the others), after its last
 * sequence, and keeps its current branch; when it lacks none, nothing is written and the result
 * is "skipped". An id held by someone else is a ConflictError (import ids are derived per user,
 * so this means a forged file, not a repeat).
 */
export async function importConversation(
  db: Database,
  input: ImportConversationInput,
): Promise<"imported" | "skipped"> {
  const { userId, conversation } = parseInput(importInput, input);
  const list = withParents(conversation.messages);
  const leafId =
    conversation.currentLeafId === undefined
      ? (list.at(-1)?.id ?? null)
      : conversation.currentLeafId;
  const leafHolds =
    leafId === null ? list.length === 0 : list.some((message) => message.id === leafId);
  if (!leafHolds) {
    throw new ValidationError("the current leaf must be one of the conversation's messages");
  }
  // Checked before anything is written, whether the conversation is new or not.
  const tree = placeTree(list, {
    firstSegmentId: conversation.id,
    stored: new Map(),
    rootCount: 0,
    segments: new Map(),
  });
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(conversations)
      .values({
        id: conversation.id,
        userId,
        title: conversation.title,
        lastSequence: list.length,
        currentLeafId: leafId,
        rootCount: tree.rootCount,
        modelEndpoint: conversation.model?.endpointId,
        model: conversation.model?.modelId,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
      })
      .onConflictDoNothing({ target: conversations.id })
      .returning({ id: conversations.id });
    if (!created) return addMissing(tx, userId, conversation, list, leafId);
    await insertTree(tx, userId, conversation.id, list, tree, {
      firstSequence: 1,
      stored: new Set(),
    });
    return "imported";
  });
}

/** The list with every parent spelled out: an absent one is the message before. */
function withParents(list: Message[]): Array<Message & { parentId: string | null }> {
  return list.map((message, index) => ({
    ...message,
    parentId: message.parentId === undefined ? (list[index - 1]?.id ?? null) : message.parentId,
  }));
}

/** A conversation the user has already: the messages it lacks join its tree. */
async function addMissing(
  tx: Tx,
  userId: string,
  conversation: Conversation,
  list: Array<Message & { parentId: string | null }>,
  leafId: string | null,
): Promise<"imported" | "skipped"> {
  // The row lock queues a send to this conversation (its trigger locks the row too) behind
  // this import, so the child counts read below stay true until written.
  const [mine] = await tx
    .select({
      lastSequence: conversations.lastSequence,
      rootCount: conversations.rootCount,
      currentLeafId: conversations.currentLeafId,
    })
    .from(conversations)
    .where(and(eq(conversations.id, conversation.id), eq(conversations.userId, userId)))
    .for("update");
  if (!mine) throw new ConflictError("This conversation id is already in use");
  const rows = await tx
    .select({
      id: messages.id,
      depth: messages.depth,
      segmentId: messages.segmentId,
      childCount: messages.childCount,
    })
    .from(messages)
    .where(eq(messages.conversationId, conversation.id));
  const stored = new Map(rows.map((row) => [row.id, row]));
  const missing = list
    .filter((message) => !stored.has(message.id))
    // Stored versions already hold the low indexes: new ones follow them, in the file's order.
    .map(({ siblingIndex: _index, ...message }) => message);
  if (missing.length === 0) return "skipped";
  const segments = await tx
    .select({
      id: branchSegments.id,
      ancestorIds: branchSegments.ancestorIds,
      ancestorUntil: branchSegments.ancestorUntil,
    })
    .from(branchSegments)
    .where(eq(branchSegments.conversationId, conversation.id));
  const tree = placeTree(missing, {
    firstSegmentId: conversation.id,
    stored,
    rootCount: mine.rootCount,
    segments: new Map(segments.map((segment) => [segment.id, segment])),
  });
  await insertTree(tx, userId, conversation.id, missing, tree, {
    firstSequence: mine.lastSequence + 1,
    stored: new Set(stored.keys()),
  });
  const grown = [...tree.grownParents];
  if (grown.length > 0) {
    await tx.execute(sql`update ${messages} set child_count = grown.child_count
      from unnest(${pgArray(grown.map(([id]) => id))}::uuid[],
        ${pgArray(grown.map(([, count]) => count))}::int[]) as grown (id, child_count)
      where ${messages.id} = grown.id`);
  }
  await tx
    .update(conversations)
    .set({
      lastSequence: mine.lastSequence + missing.length,
      rootCount: tree.rootCount,
      // The branch the person chose stays; a conversation that had no messages takes the file's.
      currentLeafId: mine.currentLeafId ?? leafId,
      updatedAt: sql`greatest(${conversations.updatedAt}, ${conversation.updatedAt.toISOString()}::timestamptz)`,
    })
    .where(eq(conversations.id, conversation.id));
  return "imported";
}

const pgArray = (values: Array<string | number>) => `{${values.join(",")}}`;

/** The new segments, then the messages, in multi-row inserts. */
async function insertTree(
  tx: Tx,
  userId: string,
  conversationId: string,
  list: Message[],
  tree: PlacedTree,
  known: { firstSequence: number; stored: Set<string> },
) {
  // A reply may only point at a message stored before it: a dangling link is dropped rather
  // than failing. Several replies may answer one message (its regenerated versions).
  const { stored } = known;
  const rows = list.map(({ parentId: _parent, siblingIndex: _index, ...message }, index) => {
    const replyTo = message.replyTo && stored.has(message.replyTo) ? message.replyTo : null;
    stored.add(message.id);
    return {
      ...message,
      ...tree.positions[index],
      replyTo,
      conversationId,
      userId,
      sequence: known.firstSequence + index,
    };
  });
  const segmentRows = tree.segments.map((segment) => ({ ...segment, conversationId, userId }));
  for (let start = 0; start < segmentRows.length; start += IMPORT_INSERT_BATCH) {
    await tx.insert(branchSegments).values(segmentRows.slice(start, start + IMPORT_INSERT_BATCH));
  }
  for (let start = 0; start < rows.length; start += IMPORT_INSERT_BATCH) {
    await tx.insert(messages).values(rows.slice(start, start + IMPORT_INSERT_BATCH));
  }
}
