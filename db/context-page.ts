import "server-only";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Database } from "./client";
import { messageColumns, type StoredMessage } from "./messages";
import { perHandle } from "./per-handle";
import { conversations, messages } from "./schema";

export type ContextRow = Pick<StoredMessage, "id" | "role" | "content" | "sequence" | "status">;

/**
 * The messages before `before`, newest first, up to `limit`, with only what a model's context
 * needs: rebuilding the context is part of every turn, and a page is up to 200 rows. Only the
 * user's own conversation is read (the join); another's reads as empty.
 */
export async function getContextPage(
  db: Database,
  input: { userId: string; conversationId: string; before: number; limit: number },
): Promise<ContextRow[]> {
  return contextStatement(db).execute(input);
}

const contextStatement = perHandle((db: Database) => {
  const param = (name: string) => sql.placeholder(name);
  return db
    .select({
      id: messages.id,
      role: messages.role,
      content: messages.content,
      sequence: messages.sequence,
      status: messageColumns.status,
    })
    .from(messages)
    .innerJoin(
      conversations,
      and(
        eq(conversations.id, messages.conversationId),
        eq(conversations.userId, sql`${param("userId")}::uuid`),
      ),
    )
    .where(
      and(
        eq(messages.conversationId, sql`${param("conversationId")}::uuid`),
        lt(messages.sequence, sql`${param("before")}::int`),
      ),
    )
    .orderBy(desc(messages.sequence))
    .limit(param("limit"))
    .prepare("chatkeep_context_page");
});
