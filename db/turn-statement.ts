import "server-only";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "./client";
import { writtenColumns } from "./messages";
import { perHandle } from "./per-handle";
import { conversations, messages } from "./schema";

export interface TurnValues {
  conversationId: string;
  userId: string;
  messageId: string;
  content: string;
  title: string;
  replyId: string;
  leaseOwner: string;
  leaseMs: number;
  /** The message's parent; null: after the current leaf, or a new root when `asRoot`. */
  parentId: string | null;
  asRoot: boolean;
  /** The model the turn is answered by, stored as the conversation's; both null: unchanged. */
  modelEndpoint: string | null;
  model: string | null;
}

/**
 * The common turn in one statement and one round trip (no BEGIN/COMMIT): the conversation
 * created, or its counter bumped by two when it is the user's and the message is new; dead
 * replies settled; the message and its empty streaming reply inserted. It returns the two rows,
 * or none when the conversation is someone else's or the message is already stored; the caller
 * then takes the careful path, which tells those cases apart. A unique violation (the same
 * message sent concurrently, another live reply) rolls the whole statement back.
 */
export function startTurnStatement(db: Database) {
  return prepared(db);
}

const prepared = perHandle((db: Database) => {
  const param = (name: keyof TurnValues) => sql.placeholder(name);
  const conversation = db.$with("conversation").as(
    db
      .insert(conversations)
      .values({
        id: param("conversationId"),
        userId: param("userId"),
        title: param("title"),
        modelEndpoint: param("modelEndpoint"),
        model: param("model"),
        lastSequence: 2,
      })
      .onConflictDoUpdate({
        target: conversations.id,
        set: {
          lastSequence: sql`${conversations.lastSequence} + 2`,
          updatedAt: sql`now()`,
          // The first user message names an untitled conversation.
          title: sql`coalesce(${conversations.title}, excluded.title)`,
          // A turn that names a model makes it the conversation's (both set or neither).
          modelEndpoint: sql`coalesce(excluded.model_endpoint, ${conversations.modelEndpoint})`,
          model: sql`coalesce(excluded.model, ${conversations.model})`,
        },
        setWhere: sql`${conversations.userId} = excluded.user_id
          and not exists (select 1 from ${messages} where ${messages.id} = ${param("messageId")}::uuid)`,
      })
      .returning({ lastSequence: conversations.lastSequence }),
  );
  // Settled before the new reply is inserted (the insert below reads this CTE, which makes it
  // run first): a dead reply would otherwise hold the conversation's one streaming slot.
  const settled = db.$with("settled").as(
    db
      .update(messages)
      .set({ status: "interrupted", updatedAt: sql`now()` })
      .where(
        and(
          eq(messages.conversationId, param("conversationId")),
          eq(messages.status, "streaming"),
          or(isNull(messages.leaseExpiresAt), lt(messages.leaseExpiresAt, sql`now()`)),
          sql`exists (select 1 from ${conversation})`,
        ),
      )
      .returning({ id: messages.id }),
  );
  return db
    .with(conversation, settled)
    .insert(messages)
    .select(
      // Every column of the table, in its order (an INSERT … SELECT names them all). The tree
      // columns are left to the messages_with_tree_position trigger, which places the message
      // below its parent (the current leaf unless given; depth 1 asks for a new root) and the
      // reply below the message.
      sql`select row.id, ${param("conversationId")}::uuid, ${param("userId")}::uuid, row.role, row.content,
            ${conversation.lastSequence} + row.offset, row.status,
            -- finish_reason, model, endpoint, input_tokens, output_tokens, error: set at the end
            null, null, null, null, null, null,
            row.reply_to, row.lease_owner, row.lease_expires_at,
            row.parent_id, row.depth, 0, 0, null, null, now(), now()
          from ${conversation}, (values
            (${param("messageId")}::uuid, 'user'::message_role, ${param("content")}::text, -1,
             'complete'::message_status, null::uuid, null::text, null::timestamptz,
             ${param("parentId")}::uuid, case when ${param("asRoot")}::boolean then 1 end),
            (${param("replyId")}::uuid, 'assistant'::message_role, ''::text, 0,
             'streaming'::message_status, ${param("messageId")}::uuid, ${param("leaseOwner")}::text,
             now() + ${param("leaseMs")}::int * interval '1 millisecond', ${param("messageId")}::uuid, null::int)
          ) as row (id, role, content, "offset", status, reply_to, lease_owner, lease_expires_at,
            parent_id, depth)
          where (select count(*) from ${settled}) >= 0`,
    )
    .returning(writtenColumns)
    .prepare("chatkeep_start_turn");
});
