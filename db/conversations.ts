import "server-only";
import { and, eq, getTableColumns } from "drizzle-orm";
import { z } from "zod";
import { ConflictError } from "@/lib/errors";
import type { ModelRef } from "@/lib/model-ref";
import { modelRefSchema } from "@/lib/model-ref-schema";
import { cursorSchema, idSchema, parseInput, titleSchema } from "@/lib/validation";
import type { Database } from "./client";
import { decodeKeyset, keysetPage, newestFirst, pastKeyset } from "./cursor";
import { conversations } from "./schema";

export const CONVERSATION_PAGE_DEFAULT = 30;
export const CONVERSATION_PAGE_MAX = 100;

const {
  lastSequence: _internal,
  searchVector: _words,
  ...summaryColumns
} = getTableColumns(conversations);

/**
 * What callers see of a conversation, here and in an export; the sequence counter and the
 * search words are the repository's business.
 */
export const conversationColumns = summaryColumns;

export type ConversationSummary = {
  id: string;
  userId: string;
  title: string | null;
  /** With `model`, the model the next turn is answered by; both null: the default. */
  modelEndpoint: string | null;
  model: string | null;
  createdAt: Date;
  updatedAt: Date;
};

/** The conversation's model as a reference; null: the deployment's default. */
export function conversationModel(conversation: {
  modelEndpoint: string | null;
  model: string | null;
}): ModelRef | null {
  const { modelEndpoint, model } = conversation;
  return modelEndpoint === null || model === null
    ? null
    : { endpointId: modelEndpoint, modelId: model };
}

const ownedConversation = (conversationId: string, userId: string) =>
  and(eq(conversations.id, conversationId), eq(conversations.userId, userId));

const createInput = z.object({
  userId: idSchema,
  id: idSchema.optional(),
  title: titleSchema.optional(),
  model: modelRefSchema.optional(),
});

/** Creates a conversation; creating the same id again for the same user returns it unchanged. */
export async function createConversation(
  db: Database,
  input: { userId: string; id?: string; title?: string; model?: ModelRef },
): Promise<ConversationSummary> {
  const { model, ...values } = parseInput(createInput, input);
  const [created] = await db
    .insert(conversations)
    .values({ ...values, modelEndpoint: model?.endpointId, model: model?.modelId })
    .onConflictDoNothing({ target: conversations.id })
    .returning(conversationColumns);
  if (created) return created;
  const existing = values.id
    ? await getConversation(db, { conversationId: values.id, userId: values.userId })
    : null;
  if (!existing) throw new ConflictError("This conversation id is already in use");
  return existing;
}

const ownedInput = z.object({ conversationId: idSchema, userId: idSchema });

/** The conversation, or null when it is missing or belongs to someone else. */
export async function getConversation(
  db: Database,
  input: { conversationId: string; userId: string },
): Promise<ConversationSummary | null> {
  const { conversationId, userId } = parseInput(ownedInput, input);
  const [row] = await db
    .select(conversationColumns)
    .from(conversations)
    .where(ownedConversation(conversationId, userId))
    .limit(1);
  return row ?? null;
}

const listInput = z.object({
  userId: idSchema,
  limit: z.number().int().min(1).max(CONVERSATION_PAGE_MAX).default(CONVERSATION_PAGE_DEFAULT),
  cursor: cursorSchema.optional(),
});

/** The user's conversations, most recent activity first, one keyset page at a time. */
export async function listConversations(
  db: Database,
  input: { userId: string; limit?: number; cursor?: string },
): Promise<{ items: ConversationSummary[]; nextCursor: string | null }> {
  const { limit } = parseInput(listInput, input);
  const rows = await listConversationsQuery(db, input);
  return keysetPage(rows, limit, (last) => ({ at: last.updatedAt, id: last.id }));
}

/** One page of the list (and one row more) as a query, for `listConversations` and plan tests. */
export function listConversationsQuery(
  db: Database,
  input: { userId: string; limit?: number; cursor?: string },
) {
  const { userId, limit, cursor } = parseInput(listInput, input);
  const after = cursor ? decodeKeyset(cursor) : null;
  return db
    .select(conversationColumns)
    .from(conversations)
    .where(
      and(
        eq(conversations.userId, userId),
        pastKeyset(conversations.updatedAt, conversations.id, after, "newest first"),
      ),
    )
    .orderBy(...newestFirst(conversations.updatedAt, conversations.id))
    .limit(limit + 1);
}

const renameInput = ownedInput.extend({ title: titleSchema });

/** Renames the conversation; null when it is missing or someone else's. */
export async function renameConversation(
  db: Database,
  input: { conversationId: string; userId: string; title: string },
): Promise<ConversationSummary | null> {
  const { conversationId, userId, title } = parseInput(renameInput, input);
  const [row] = await db
    .update(conversations)
    .set({ title })
    .where(ownedConversation(conversationId, userId))
    .returning(conversationColumns);
  return row ?? null;
}

const modelInput = ownedInput.extend({ model: modelRefSchema });

/**
 * Sets the model the conversation's next turns are answered by; null when it is missing or
 * someone else's. A change of model is not activity: the sidebar's order stays.
 */
export async function setConversationModel(
  db: Database,
  input: { conversationId: string; userId: string; model: ModelRef },
): Promise<ConversationSummary | null> {
  const { conversationId, userId, model } = parseInput(modelInput, input);
  const [row] = await db
    .update(conversations)
    .set({ modelEndpoint: model.endpointId, model: model.modelId })
    .where(ownedConversation(conversationId, userId))
    .returning(conversationColumns);
  return row ?? null;
}

/**
 * The model of the person's most recently active conversation: their last choice, which a new
 * chat starts on. Null when they have none or it follows the default. One row of the
 * conversations_user_recent_idx walk the sidebar makes.
 */
export async function lastUsedModel(db: Database, userId: string): Promise<ModelRef | null> {
  const [row] = await db
    .select({ modelEndpoint: conversations.modelEndpoint, model: conversations.model })
    .from(conversations)
    .where(eq(conversations.userId, parseInput(idSchema, userId)))
    .orderBy(...newestFirst(conversations.updatedAt, conversations.id))
    .limit(1);
  return row ? conversationModel(row) : null;
}

/** Deletes the conversation and, by cascade, its messages; false when not the user's. */
export async function deleteConversation(
  db: Database,
  input: { conversationId: string; userId: string },
): Promise<boolean> {
  const { conversationId, userId } = parseInput(ownedInput, input);
  const deleted = await db
    .delete(conversations)
    .where(ownedConversation(conversationId, userId))
    .returning({ id: conversations.id });
  return deleted.length > 0;
}
