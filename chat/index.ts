import "server-only";
import { randomUUID } from "node:crypto";
import { estimateTokens } from "@/ai/context";
import type { ResolvedModel } from "@/ai/provider";
import {
  type Database,
  getLiveReply,
  type StoredMessage,
  startContinue,
  startRegenerate,
  startTurn,
} from "@/db";
import { TooLargeError } from "@/lib/errors";
import { logError } from "@/lib/log";
import type { ModelRef } from "@/lib/model-ref";
import type { ReplyBatch } from "@/lib/reply-stream";
import { serverEnv } from "@/server/env";
import { enforceUserLimit } from "@/server/user-limits";
import { followReply } from "./follow-reply";
import { continuingModel, turnModel } from "./model-choice";
import { loadContext } from "./model-context";
import { newLease } from "./reply-lease";
import { ReplyRun } from "./reply-run";

// The chat flow: the one place that joins the database and the model. Route handlers call these
// after authenticating and validating; every function takes the database and the acting user.

/** A reply as a request serves it: the stream to answer with, and the generation behind it. */
export interface ServedReply {
  stream: ReadableStream<ReplyBatch>;
  /**
   * Settles, never rejects, once the reply run this request started has stored its outcome;
   * already settled when the request started none (it follows a reply already under way). The
   * run outlives the response when the browser goes away, and a serverless host freezes a
   * function once its response ends: the route hands this to Next's `after()` to keep it alive.
   */
  generated: Promise<void>;
}

const NOTHING_STARTED: Promise<void> = Promise.resolve();

async function generate(
  db: Database,
  userId: string,
  reply: StoredMessage,
  lease: ReturnType<typeof newLease>,
  model: ResolvedModel,
): Promise<ServedReply> {
  const context = await loadContext(db, {
    userId,
    conversationId: reply.conversationId,
    replyId: reply.id,
    systemPrompt: model.systemPrompt,
    budgetTokens: model.contextTokens,
  });
  const run = new ReplyRun(db, reply, lease, model, context);
  const generated = run.done.then(
    () => undefined,
    (error) => logError("[chat] reply run crashed", error),
  );
  return { stream: run.stream(), generated };
}

/**
 * Stores the user's message and streams the reply. The message is committed before the model is
 * called. Sending the same message id again re-sends nothing to the model: it answers with the
 * stored reply, or follows it live if it is still being written.
 */
export async function sendMessage(
  db: Database,
  input: {
    userId: string;
    conversationId: string;
    message: { id: string; content: string };
    /** The message it follows (an edit: the edited message's parent; null: a new root). */
    parentId?: string | null;
    /** The model to answer with, which becomes the conversation's; absent: the conversation's. */
    model?: ModelRef;
  },
): Promise<ServedReply> {
  await enforceUserLimit(db, "send", input.userId);
  const { model: requested, ...turnInput } = input;
  const model = await turnModel(db, { ...input, requested });
  assertFitsContext(model, input.message.content);
  const lease = newLease();
  const turn = await startTurn(db, {
    ...turnInput,
    replyId: randomUUID(),
    lease,
    // Stored as the conversation's model only when asked for: one that follows the default
    // goes on following it.
    model: requested ? { endpointId: model.endpointId, modelId: model.modelId } : undefined,
  });
  if (!turn.reply) return { stream: emptyStream(), generated: NOTHING_STARTED };
  if (!turn.created) {
    return { stream: followReply(db, input.userId, turn.reply), generated: NOTHING_STARTED };
  }
  return generate(db, input.userId, turn.reply, lease, model);
}

/**
 * Answers a reply's message again as a new version of the reply (`newReplyId`, or a fresh id),
 * keeping the old one. Asking again with the same `newReplyId` re-sends nothing to the model: it
 * follows the version that id started.
 */
export async function regenerateReply(db: Database, input: ExistingReply): Promise<ServedReply> {
  const { newReplyId = randomUUID(), model: requested, ...reply } = input;
  await enforceUserLimit(db, "send", input.userId);
  // "Regenerate with…" names a model for this version only: the conversation keeps its own.
  const model = await turnModel(db, { ...reply, requested });
  const lease = newLease();
  const version = await startRegenerate(db, { ...reply, newReplyId, lease });
  if (!version.created) {
    return { stream: followReply(db, input.userId, version.reply), generated: NOTHING_STARTED };
  }
  return generate(db, input.userId, version.reply, lease, model);
}

/**
 * Extends a stored reply from its text. A reply already at REPLY_MAX_CHARS is refused (409): it
 * could only stop again, unchanged.
 */
export async function continueReply(db: Database, input: ExistingReply): Promise<ServedReply> {
  const { userId, conversationId, replyId } = input;
  await enforceUserLimit(db, "send", userId);
  const lease = newLease();
  const reply = await startContinue(db, {
    userId,
    conversationId,
    replyId,
    lease,
    maxChars: serverEnv().REPLY_MAX_CHARS,
  });
  // The text goes on in the voice that wrote it: the reply's own model while it is offered,
  // else the conversation's, else the default.
  const written =
    reply.endpoint !== null && reply.model !== null
      ? { endpointId: reply.endpoint, modelId: reply.model }
      : null;
  const model = await continuingModel(db, { userId, conversationId, written });
  return generate(db, userId, reply, lease, model);
}

interface ExistingReply {
  userId: string;
  conversationId: string;
  replyId: string;
  /** Regenerate only: the new version's id, chosen by the client for idempotency. */
  newReplyId?: string;
  /** Regenerate only: the model the new version is written by; absent: the conversation's. */
  model?: ModelRef;
}

/** The reply in progress, replayed from its start and followed live; null when there is none. */
export async function resumeReply(
  db: Database,
  input: {
    userId: string;
    conversationId: string;
  },
): Promise<ReadableStream<ReplyBatch> | null> {
  const live = await getLiveReply(db, input);
  return live ? followReply(db, input.userId, live) : null;
}

// Stopping needs no model and no server in particular (the run that generates the reply sees the
// stop at its next checkpoint): the database's stop is the whole of it.
export { stopReply } from "@/db";
export {
  changeConversationModel,
  conversationModelState,
  modelFor,
  modelOptions,
} from "./model-choice";

/**
 * A message the model could never see whole (the context holds whole messages only) is refused
 * before anything is stored, rather than answered without it.
 */
function assertFitsContext(model: ResolvedModel, content: string) {
  const needed = estimateTokens(model.systemPrompt) + estimateTokens(content);
  if (needed > model.contextTokens) {
    throw new TooLargeError(
      `This message is too long for the model (about ${needed} tokens; its context holds ${model.contextTokens})`,
    );
  }
}

function emptyStream(): ReadableStream<ReplyBatch> {
  return new ReadableStream({ start: (controller) => controller.close() });
}
