import { isDatabaseUnavailable } from "@/db/errors";
import type { ImportConversationInput } from "@/db/import";
import { AppError, TooLargeError } from "@/lib/errors";
import { formatBytes } from "@/lib/import-limits";
import { logError } from "@/lib/log";
import { cutText } from "@/lib/text-length";
import { MAX_TITLE_CHARS } from "@/lib/validation";
import { fromChatgpt } from "./chatgpt";
import { CHATKEEP_FORMAT, fromChatkeep } from "./chatkeep-format";
import { importIds } from "./ids";
import {
  type ImportFormat,
  ImportReader,
  type ReadConversation,
  type ReaderLimits,
} from "./import-reader";

export { formatBytes };

export interface ImportLimits extends ReaderLimits {
  /** Largest file accepted, in bytes. */
  maxBytes: number;
  /** Most conversations one file may hold. */
  maxConversations: number;
}

/** Failures listed by name in a summary; past this many only the count grows. */
export const MAX_FAILURES_LISTED = 100;

export interface ImportSummary {
  format: ImportFormat | null;
  imported: number;
  skipped: number;
  failedCount: number;
  failed: Array<{ index: number; title: string | null; reason: string }>;
}

/**
 * A whole-file problem (not JSON, truncated, too big, …) that stopped an import part way. The
 * summary says what was stored before it: those conversations are complete and stay.
 */
export class ImportStoppedError extends AppError {
  constructor(
    cause: AppError,
    readonly summary: ImportSummary,
  ) {
    super(cause.code, cause.message, { cause });
    this.name = "ImportStoppedError";
  }

  toJSON() {
    return { ...super.toJSON(), summary: this.summary };
  }
}

export type StoreConversation = (
  conversation: ImportConversationInput["conversation"],
) => Promise<"imported" | "skipped">;

/**
 * Imports a file as it arrives: each conversation is stored (by `store`, one transaction each)
 * as soon as it has been read, before more of the file is read, so memory holds one
 * conversation and the request's flow is held back while the database works. A conversation
 * that cannot be read or stored is listed as failed and the rest go on; a problem with the file
 * itself stops the import with an ImportStoppedError.
 */
export async function runImport(
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  { userId, limits, store }: { userId: string; limits: ImportLimits; store: StoreConversation },
): Promise<ImportSummary> {
  const reader = new ImportReader(limits);
  const ids = importIds(userId);
  const summary: ImportSummary = {
    format: null,
    imported: 0,
    skipped: 0,
    failedCount: 0,
    failed: [],
  };
  const storeAll = async (batch: ReadConversation[]) => {
    for (const read of batch) {
      if (read.index >= limits.maxConversations) {
        throw new TooLargeError(
          `The file holds more than ${limits.maxConversations} conversations; the first ${limits.maxConversations} were read (see the summary)`,
        );
      }
      await storeOne(read, { ids, store, summary });
    }
  };
  const chunks = iterate(body);
  let bytes = 0;
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      bytes += next.value.byteLength;
      if (bytes > limits.maxBytes) {
        throw new TooLargeError(
          `The file is larger than the ${formatBytes(limits.maxBytes)} limit`,
        );
      }
      reader.write(next.value);
      summary.format = reader.format;
      await storeAll(reader.take());
    }
    reader.end();
    await storeAll(reader.take());
  } catch (error) {
    if (!(error instanceof AppError)) {
      await chunks.return?.();
      throw error;
    }
    // A browser still sending when the server answers and closes may report a broken
    // connection instead of the answer: the rest of a file within the limit is read (and
    // thrown away) first, so the person sees what is wrong with it.
    if (error.code !== "too_large") await discard(chunks, limits.maxBytes - bytes);
    else await chunks.return?.();
    throw new ImportStoppedError(error, summary);
  }
  return summary;
}

type Chunks = AsyncIterator<Uint8Array> | Iterator<Uint8Array>;

function iterate(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Chunks {
  return Symbol.asyncIterator in source
    ? source[Symbol.asyncIterator]()
    : source[Symbol.iterator]();
}

/** Reads the rest of the body without looking at it, up to `budget` bytes. */
async function discard(chunks: Chunks, budget: number) {
  let left = budget;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    left -= next.value.byteLength;
    if (left < 0) {
      await chunks.return?.();
      return;
    }
  }
}

async function storeOne(
  read: ReadConversation,
  {
    ids,
    store,
    summary,
  }: { ids: ReturnType<typeof importIds>; store: StoreConversation; summary: ImportSummary },
) {
  const fail = (reason: string, title: string | null) => {
    summary.failedCount += 1;
    if (summary.failed.length < MAX_FAILURES_LISTED) {
      summary.failed.push({ index: read.index, title, reason });
    }
  };
  if (read.refused) {
    const { reason, title } = read.refused;
    return fail(reason, title === null ? null : cutText(title, MAX_TITLE_CHARS));
  }
  let title: string | null = null;
  try {
    const conversation =
      read.format === CHATKEEP_FORMAT
        ? fromChatkeep(read.value, ids, read.version)
        : fromChatgpt(read.value, ids);
    title = conversation.title;
    const outcome = await store(conversation);
    summary[outcome] += 1;
  } catch (error) {
    // The database being down is not this conversation's fault: the import stops.
    if (isDatabaseUnavailable(error)) throw error;
    // logError leaves out a failed statement's parameters (message contents).
    if (!(error instanceof AppError)) {
      logError(`[import] conversation ${read.index} not stored`, error);
    }
    const reason =
      error instanceof AppError ? error.message : "It could not be stored; try again later";
    fail(reason, title ?? titleOf(read.value));
  }
}

/** The source's own title, for naming a conversation that failed before it was mapped. */
function titleOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const title = (value as { title?: unknown }).title;
  return typeof title === "string" ? cutText(title, MAX_TITLE_CHARS) : null;
}
