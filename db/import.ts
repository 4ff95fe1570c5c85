import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { ConflictError } from "@/lib/errors";
import { IMPORT_MAX_MESSAGES } from "@/lib/import-limits";
import { isStorableDate, STORABLE_DATE_RANGE } from "@/lib/storable-date";
import { idSchema, parseInput, saysSomething, storedContentSchema } from "@/lib/validation";
import type { Database } from "./client";
import { branchSegments, conversations, messageRole, messages } from "./schema";

/** Rows per INSERT: well under Postgres's 65,535 parameters at 12 columns a row. */
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
    inputTokens: tokens,
    outputTokens: tokens,
    error: shortText,
    replyTo: idSchema.nullable(),
    createdAt: storableDate,
    updatedAt: storableDate,
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
  }),
});

export type ImportConversationInput = z.input<typeof importInput>;
export type ImportedMessage = z.input<typeof importedMessage>;

/**
 * Stores one conversation and all its messages, in one transaction: the caller never leaves a
 * half conversation behind, whatever fails. The messages get sequences 1..n in the given order.
 *
 * Idempotent on the conversation id: if the user already has it, nothing is written and the
 * result is "skipped". An id held by someone else is a ConflictError (import ids are derived
 * per user, so this means a forged file, not a repeat).
 */
export async function importConversation(
  db: Database,
  input: ImportConversationInput,
): Promise<"imported" | "skipped"> {
  const { userId, conversation } = parseInput(importInput, input);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(conversations)
      .values({
        id: conversation.id,
        userId,
        title: conversation.title,
        lastSequence: conversation.messages.length,
        // An imported conversation is a line, so its tree is known here: written with the rows
        // (below) instead of by the insert trigger, one statement per row fewer.
        currentLeafId: conversation.messages.at(-1)?.id ?? null,
        rootCount: conversation.messages.length > 0 ? 1 : 0,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
      })
      .onConflictDoNothing({ target: conversations.id })
      .returning({ id: conversations.id });
    if (!created) {
      const [mine] = await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.id, conversation.id), eq(conversations.userId, userId)))
        .limit(1);
      if (mine) return "skipped";
      throw new ConflictError("This conversation id is already in use");
    }
    // A reply may only point at a message stored with it, and each message takes at most one
    // reply (a unique index): a dangling or repeated link is dropped rather than failing.
    const stored = new Set<string>();
    const answered = new Set<string>();
    const rows = conversation.messages.map((message, index) => {
      let replyTo = message.replyTo;
      if (replyTo && (!stored.has(replyTo) || answered.has(replyTo))) replyTo = null;
      if (replyTo) answered.add(replyTo);
      stored.add(message.id);
      return {
        ...message,
        replyTo,
        conversationId: conversation.id,
        userId,
        sequence: index + 1,
        // One segment holds the line; it takes the conversation's id, as migration 0007 does.
        parentId: conversation.messages[index - 1]?.id ?? null,
        depth: index + 1,
        siblingIndex: 0,
        childCount: index < conversation.messages.length - 1 ? 1 : 0,
        segmentId: conversation.id,
      };
    });
    if (rows.length > 0) {
      await tx
        .insert(branchSegments)
        .values({ id: conversation.id, conversationId: conversation.id, userId });
    }
    for (let start = 0; start < rows.length; start += IMPORT_INSERT_BATCH) {
      await tx.insert(messages).values(rows.slice(start, start + IMPORT_INSERT_BATCH));
    }
    return "imported";
  });
}
