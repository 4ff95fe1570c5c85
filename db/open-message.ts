import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { idSchema, parseInput } from "@/lib/validation";
import { type BranchPage, pageOfPath } from "./branches";
import type { Database } from "./client";
import { MESSAGE_PAGE_DEFAULT, MESSAGE_PAGE_MAX } from "./messages";
import { conversations, messages } from "./schema";
import { switchPath } from "./versions";

const locateInput = z.union([
  z.object({ userId: idSchema, conversationId: idSchema, messageId: idSchema }),
  z.object({
    userId: idSchema,
    conversationId: idSchema,
    sequence: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1),
  }),
]);

export type MessagePlace = { id: string; sequence: number; depth: number };

/**
 * A message of the user's conversation, by id or by sequence (search links made before branches
 * carried the sequence), with where it sits; null when it is not in the conversation or the
 * conversation is not the user's. One probe of a unique index, ownership in the WHERE clause.
 */
export async function locateMessage(
  db: Database,
  input: z.input<typeof locateInput>,
): Promise<MessagePlace | null> {
  const query = parseInput(locateInput, input);
  const [row] = await db
    .select({ id: messages.id, sequence: messages.sequence, depth: messages.depth })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(
      and(
        eq(messages.conversationId, query.conversationId),
        eq(conversations.userId, query.userId),
        "messageId" in query
          ? eq(messages.id, query.messageId)
          : eq(messages.sequence, query.sequence),
      ),
    )
    .limit(1);
  return row ?? null;
}

const openInput = z.object({
  userId: idSchema,
  conversationId: idSchema,
  messageId: idSchema,
  depth: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  limit: z.number().int().min(1).max(MESSAGE_PAGE_MAX).default(MESSAGE_PAGE_DEFAULT),
});

/**
 * Opens a conversation at a message (a search hit, issue 15 behaviour 8): the branch that holds
 * it becomes the current one (as a switch to it would: below it, the branch last viewed there)
 * and the page around its depth on that branch is returned, read along the path the switch read,
 * so a concurrent switch cannot hand back another branch's messages. Another user's
 * conversation, or a message not in it, is NotFound.
 */
export async function openAtMessage(
  db: Database,
  input: z.input<typeof openInput>,
): Promise<BranchPage> {
  const { depth, limit, ...ids } = parseInput(openInput, input);
  const { path } = await switchPath(db, ids);
  return pageOfPath(db, path, { aroundDepth: depth, limit });
}
