import "server-only";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "./client";
import { messageColumns, type StoredMessage } from "./messages";
import { perHandle } from "./per-handle";
import type { Lease } from "./replies";
import { messages } from "./schema";

// The writes a reply's own run makes while it streams and when it ends: checkpoints under its
// lease, then its finish. Both run for every live reply, so both are prepared once per handle.

/**
 * Renews the lease and, when `content` is given, saves the reply's text so far (a reply whose
 * text has not moved since the last checkpoint renews the lease alone, without rewriting the
 * text). False when the reply is no longer this server's to write: stopped by the user, or
 * presumed dead and taken over.
 */
export async function checkpointReply(
  db: Database,
  input: { replyId: string; lease: Lease; content?: string },
): Promise<boolean> {
  const statements = checkpointStatements(db);
  const values = { replyId: input.replyId, owner: input.lease.owner, leaseMs: input.lease.ms };
  const updated =
    input.content === undefined
      ? await statements.leaseOnly.execute(values)
      : await statements.withText.execute({ ...values, content: input.content });
  return updated.length > 0;
}

// The statement every live reply runs several times a second: built and prepared once per
// database handle (building a Drizzle query costs more CPU than Postgres spends running it).
// Checkpoints never run inside a transaction, so the handle is always the pool's.
const checkpointStatements = perHandle(prepareCheckpoints);

function prepareCheckpoints(db: Database) {
  const stillLeased = and(
    eq(messages.id, sql.placeholder("replyId")),
    eq(messages.status, "streaming"),
    eq(messages.leaseOwner, sql.placeholder("owner")),
  );
  const renewed = {
    leaseExpiresAt: sql`now() + ${sql.placeholder("leaseMs")}::int * interval '1 millisecond'`,
    updatedAt: sql`now()`,
  };
  return {
    withText: db
      .update(messages)
      .set({ ...renewed, content: sql`${sql.placeholder("content")}::text` })
      .where(stillLeased)
      .returning({ id: messages.id })
      .prepare("chatkeep_checkpoint_text"),
    leaseOnly: db
      .update(messages)
      .set(renewed)
      .where(stillLeased)
      .returning({ id: messages.id })
      .prepare("chatkeep_checkpoint_lease"),
  };
}

export interface ReplyOutcome {
  status: "complete" | "failed" | "stopped";
  finishReason?: string | null;
  model?: string | null;
  /** The endpoint of `model` (ai/endpoints-env.ts): `offline`, `default`, or a configured id. */
  endpoint?: string | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  error?: string | null;
}

/**
 * Writes a reply's final text and how it ended. A reply the user stopped meanwhile stays
 * `stopped`, with the text generated up to now. Null when the reply is no longer this server's.
 */
export async function finishReply(
  db: Database,
  input: { replyId: string; lease: Lease; content: string; outcome: ReplyOutcome },
): Promise<StoredMessage | null> {
  const { outcome } = input;
  const [finished] = await finishStatement(db).execute({
    replyId: input.replyId,
    leaseOwner: input.lease.owner,
    content: input.content,
    status: outcome.status,
    finishReason: outcome.finishReason ?? null,
    model: outcome.model ?? null,
    endpoint: outcome.endpoint ?? null,
    inputTokens: outcome.inputTokens ?? null,
    outputTokens: outcome.outputTokens ?? null,
    error: outcome.error ?? null,
  });
  return finished ?? null;
}

// The last write of every reply: built and prepared once per handle.
const finishStatement = perHandle((db: Database) => {
  const param = (name: string) => sql.placeholder(name);
  // A stop (from any server) wins over how the model call ended.
  const stopped = sql`${messages.status} = 'stopped'`;
  return db
    .update(messages)
    .set({
      content: sql`${param("content")}::text`,
      status: sql`case when ${stopped} then 'stopped'::message_status else ${param("status")}::message_status end`,
      finishReason: sql`case when ${stopped} then 'stopped' else ${param("finishReason")}::text end`,
      model: sql`${param("model")}::text`,
      endpoint: sql`${param("endpoint")}::text`,
      inputTokens: sql`${param("inputTokens")}::int`,
      outputTokens: sql`${param("outputTokens")}::int`,
      error: sql`${param("error")}::text`,
      leaseExpiresAt: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(messages.id, sql`${param("replyId")}::uuid`),
        inArray(messages.status, ["streaming", "stopped"]),
        eq(messages.leaseOwner, sql`${param("leaseOwner")}::text`),
      ),
    )
    .returning(messageColumns)
    .prepare("chatkeep_finish_reply");
});
