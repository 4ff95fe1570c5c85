import type { ReplyChunk, ReplyMetadata, ReplyStatus } from "@/lib/reply-stream";

const STATUSES: readonly ReplyStatus[] = [
  "streaming",
  "complete",
  "stopped",
  "failed",
  "interrupted",
];

function metadata(value: unknown): Partial<ReplyMetadata> {
  if (!value || typeof value !== "object") return {};
  const { replyId, status, sequence, model, endpoint } = value as Record<string, unknown>;
  return {
    ...(typeof replyId === "string" ? { replyId } : {}),
    ...(STATUSES.includes(status as ReplyStatus) ? { status: status as ReplyStatus } : {}),
    ...(typeof sequence === "number" ? { sequence } : {}),
    ...(typeof model === "string" || model === null ? { model: model as string | null } : {}),
    ...(typeof endpoint === "string" || endpoint === null
      ? { endpoint: endpoint as string | null }
      : {}),
  };
}

/** The chunks a reply stream carries, checked; anything else (other chunk types) is null. */
export type KnownChunk =
  | { type: "start"; messageId: string | null; meta: Partial<ReplyMetadata> }
  | { type: "text-delta"; delta: string }
  | { type: "error"; errorText: string }
  | { type: "finish"; meta: Partial<ReplyMetadata> }
  | { type: "abort" };

export function readChunk(value: unknown): KnownChunk | null {
  if (!value || typeof value !== "object") return null;
  const chunk = value as Partial<ReplyChunk> & Record<string, unknown>;
  switch (chunk.type) {
    case "start":
      return {
        type: "start",
        messageId: typeof chunk.messageId === "string" ? chunk.messageId : null,
        meta: metadata(chunk.messageMetadata),
      };
    case "text-delta":
      return typeof chunk.delta === "string" ? { type: "text-delta", delta: chunk.delta } : null;
    case "error":
      return {
        type: "error",
        errorText: typeof chunk.errorText === "string" ? chunk.errorText : "The reply failed",
      };
    case "finish":
      return { type: "finish", meta: metadata(chunk.messageMetadata) };
    case "abort":
      return { type: "abort" };
    default:
      return null;
  }
}

/** A reply as its stream has told it so far. */
export interface ReplyProgress {
  replyId: string | null;
  sequence: number | null;
  model: string | null;
  endpoint: string | null;
  content: string;
  status: ReplyStatus;
  error: string | null;
  /**
   * Every stream replays the reply from its start (resume, continue): the first text after a
   * `start` replaces what is shown instead of being appended, so nothing is doubled and the
   * old text stays on screen until the replay arrives.
   */
  replaceOnDelta: boolean;
  finished: boolean;
}

export function initialProgress(content = ""): ReplyProgress {
  return {
    replyId: null,
    sequence: null,
    model: null,
    endpoint: null,
    content,
    status: "streaming",
    error: null,
    replaceOnDelta: false,
    finished: false,
  };
}

export function applyChunk(progress: ReplyProgress, chunk: KnownChunk): ReplyProgress {
  switch (chunk.type) {
    case "start":
      return {
        ...progress,
        replyId: chunk.messageId ?? chunk.meta.replyId ?? progress.replyId,
        sequence: chunk.meta.sequence ?? progress.sequence,
        model: chunk.meta.model ?? progress.model,
        endpoint: chunk.meta.endpoint ?? progress.endpoint,
        status: "streaming",
        error: null,
        replaceOnDelta: true,
        finished: false,
      };
    case "text-delta":
      return {
        ...progress,
        content: progress.replaceOnDelta ? chunk.delta : progress.content + chunk.delta,
        replaceOnDelta: false,
      };
    case "error":
      return { ...progress, error: chunk.errorText };
    case "finish":
      return {
        ...progress,
        content: progress.replaceOnDelta ? "" : progress.content,
        replaceOnDelta: false,
        status: chunk.meta.status ?? (progress.error ? "failed" : "complete"),
        model: chunk.meta.model ?? progress.model,
        endpoint: chunk.meta.endpoint ?? progress.endpoint,
        finished: true,
      };
    case "abort":
      return { ...progress, status: "stopped", finished: true };
  }
}
