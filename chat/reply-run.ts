import "server-only";
import type { BuiltContext } from "@/ai/context";
import { streamModelReply } from "@/ai/model-stream";
import type { ResolvedModel } from "@/ai/provider";
import {
  checkpointReply,
  type Database,
  finishReply,
  type Lease,
  type ReplyOutcome,
  type StoredMessage,
} from "@/db";
import { logError } from "@/lib/log";
import {
  closingChunks,
  openingChunks,
  type ReplyBatch,
  type ReplyChunk,
  type ReplyMetadata,
  textChunk,
} from "@/lib/reply-stream";
import { cutText } from "@/lib/text-length";
import { serverEnv } from "@/server/env";

type Listener = (chunks: ReplyChunk[]) => void;

// Text deltas reach listeners in batches at most this far apart. Each chunk costs a trip through
// the response's stream stages and a write to the socket; a model emitting a token every few
// milliseconds would otherwise cost that per token, for no difference a reader could see.
const TEXT_BATCH_MS = 40;

/**
 * Generates one reply and keeps its row current: text checkpointed every REPLY_CHECKPOINT_MS
 * with the lease renewed, and the outcome written at the end. It runs to completion whether or
 * not anyone is listening (a browser that goes away does not stop it); a `stopped` status
 * written by any server stops it at the next checkpoint.
 */
export class ReplyRun {
  private text: string;
  private readonly listeners = new Set<Listener>();
  /** Text generated but not yet sent to listeners (the end of `text`). */
  private unsent = "";
  private batchTimer: NodeJS.Timeout | null = null;
  private batchedYet = false;
  private readonly abort = new AbortController();
  /** The checkpoint being written, if any: a tick never queues another behind it. */
  private inFlight: Promise<void> | null = null;
  /** The text as of the last checkpoint that reached the database. */
  private savedText: string;
  private ended: ReplyChunk[] | null = null;
  readonly done: Promise<StoredMessage | null>;

  constructor(
    private readonly db: Database,
    private readonly reply: StoredMessage,
    private readonly lease: Lease,
    private readonly model: ResolvedModel,
    context: BuiltContext,
  ) {
    // Continuing keeps the stored partial text and extends it.
    this.text = reply.content;
    this.savedText = reply.content;
    const messages = this.text
      ? [...context.messages, { role: "assistant" as const, content: this.text }]
      : context.messages;
    this.done = this.generate(context.system, messages);
  }

  /** The reply as batches of UI message chunks, from its stored start, then live until it ends. */
  stream(): ReadableStream<ReplyBatch> {
    let listener: Listener | undefined;
    return new ReadableStream<ReplyBatch>({
      start: (controller) => {
        const first = openingChunks(this.metadata("streaming"));
        // What listeners have been sent so far; the unsent rest follows with the next batch.
        const sent = this.text.slice(0, this.text.length - this.unsent.length);
        if (sent) first.push(textChunk(sent));
        if (this.ended) {
          controller.enqueue([...first, ...this.ended]);
          controller.close();
          return;
        }
        controller.enqueue(first);
        listener = (chunks) => {
          controller.enqueue(chunks);
          if (chunks.some((chunk) => chunk.type === "finish")) controller.close();
        };
        this.listeners.add(listener);
      },
      // The browser went away: stop telling it, keep generating.
      cancel: () => {
        if (listener) this.listeners.delete(listener);
      },
    });
  }

  private metadata(status: ReplyMetadata["status"]): ReplyMetadata {
    return {
      replyId: this.reply.id,
      status,
      sequence: this.reply.sequence,
      model: this.model.modelId,
      endpoint: this.model.endpointId,
    };
  }

  /** The first delta goes out at once (time to first token); later ones in batches. */
  private queueText(delta: string) {
    this.unsent += delta;
    if (!this.batchedYet) {
      this.batchedYet = true;
      this.flushText();
    } else this.batchTimer ??= setTimeout(() => this.flushText(), TEXT_BATCH_MS);
  }

  private flushText() {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    if (!this.unsent) return;
    const text = this.unsent;
    this.unsent = "";
    this.emit([textChunk(text)]);
  }

  private emit(chunks: ReplyChunk[]) {
    for (const listener of this.listeners) listener(chunks);
  }

  /**
   * One write per tick at most, and none while the previous one is still in flight: when the
   * database is slower than the interval, ticks are skipped rather than queued (a queue would
   * grow without bound and delay the reply's end behind stale writes). The next tick after the
   * write lands sends the latest text, so nothing is lost by skipping.
   */
  private checkpoint() {
    if (this.inFlight) return;
    const content = this.text;
    this.inFlight = (async () => {
      try {
        const stillOurs = await checkpointReply(this.db, {
          replyId: this.reply.id,
          lease: this.lease,
          // Unchanged text (a slow model, a long pause) renews the lease alone.
          content: content === this.savedText ? undefined : content,
        });
        if (stillOurs) this.savedText = content;
        else this.abort.abort();
      } catch (error) {
        // A missed checkpoint only shortens the lease's margin; the next one may succeed.
        logError("[chat] checkpoint failed", error);
      } finally {
        this.inFlight = null;
      }
    })();
  }

  private async generate(system: string, messages: BuiltContext["messages"]) {
    const outcome: ReplyOutcome = {
      status: "complete",
      model: this.model.modelId,
      endpoint: this.model.endpointId,
    };
    let failure: unknown;
    const timer = setInterval(() => this.checkpoint(), serverEnv().REPLY_CHECKPOINT_MS);
    try {
      const parts = streamModelReply({
        model: this.model.model,
        system,
        messages,
        abortSignal: this.abort.signal,
      });
      const maxChars = serverEnv().REPLY_MAX_CHARS;
      for await (const part of parts) {
        if (part.type === "text") {
          const text = cutText(part.text, maxChars - this.text.length);
          this.text += text;
          if (text) this.queueText(text);
          if (text.length < part.text.length) {
            // At the cap: stop like a model that ran out of tokens. Leaving the loop cancels
            // the model's stream (streamModelReply's `finally`).
            outcome.finishReason = "length";
            break;
          }
        } else {
          outcome.finishReason = part.finishReason;
          outcome.inputTokens = part.inputTokens;
          outcome.outputTokens = part.outputTokens;
        }
      }
    } catch (error) {
      // A stop (from any server) aborts the model call; anything else is a failure.
      if (this.abort.signal.aborted) outcome.status = "stopped";
      else failure = error;
    } finally {
      clearInterval(timer);
      // Listeners get the last words now, not after the final write.
      this.flushText();
    }
    if (failure !== undefined && outcome.status !== "stopped") {
      outcome.status = "failed";
      outcome.error = describeFailure(failure);
      logError("[chat] reply failed", failure);
    }
    // The final write must not race a checkpoint still in flight (it would overwrite the end).
    await this.inFlight;
    const stored = await this.finish(outcome);
    this.ended = closingChunks(this.metadata(stored?.status ?? outcome.status), stored?.error);
    this.emit(this.ended);
    this.listeners.clear();
    return stored;
  }

  private async finish(outcome: ReplyOutcome): Promise<StoredMessage | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await finishReply(this.db, {
          replyId: this.reply.id,
          lease: this.lease,
          content: this.text,
          outcome,
        });
      } catch (error) {
        // Give up after a few tries: the lease then runs out and readers see the reply as
        // interrupted, with its last checkpointed text.
        if (attempt >= 3) {
          logError("[chat] could not store the end of a reply", error);
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return cutText(`The model failed: ${message}`, 500);
}
