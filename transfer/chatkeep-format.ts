import { z } from "zod";
import type { ImportConversationInput } from "@/db/import";
import type { StoredMessage } from "@/db/messages";
import { ValidationError } from "@/lib/errors";
import { isStorableDate, STORABLE_DATE_RANGE } from "@/lib/storable-date";
import {
  cleanText,
  MAX_TITLE_CHARS,
  parseInput,
  saysSomething,
  storedContentSchema,
} from "@/lib/validation";
import type { ImportIds } from "./ids";
import { array, object } from "./kept-fields";

// Chatkeep's own export format: one JSON document, described in docs/export-format.md. Readers
// check `format` and `version` before anything else; a change that an older reader would
// misread bumps the version.
export const CHATKEEP_FORMAT = "chatkeep";
export const CHATKEEP_FORMAT_VERSION = 1;

/** What `fromChatkeep` reads of a conversation: the reader keeps these and drops the rest. */
export const CHATKEEP_FIELDS = object({
  id: "leaf",
  title: "leaf",
  createdAt: "leaf",
  updatedAt: "leaf",
  messages: array(
    object({
      id: "leaf",
      sequence: "leaf",
      role: "leaf",
      content: "leaf",
      status: "leaf",
      finishReason: "leaf",
      model: "leaf",
      usage: object({ inputTokens: "leaf", outputTokens: "leaf" }),
      error: "leaf",
      replyTo: "leaf",
      createdAt: "leaf",
      updatedAt: "leaf",
    }),
    { messages: true },
  ),
});

export function exportedMessage(message: StoredMessage) {
  return {
    id: message.id,
    sequence: message.sequence,
    role: message.role,
    content: message.content,
    status: message.status,
    finishReason: message.finishReason,
    model: message.model,
    usage: { inputTokens: message.inputTokens, outputTokens: message.outputTokens },
    error: message.error,
    replyTo: message.replyTo,
    createdAt: message.createdAt.toISOString(),
    updatedAt: message.updatedAt.toISOString(),
  };
}

export type ExportedMessage = ReturnType<typeof exportedMessage>;

const timestamp = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time" })
  .transform((value) => new Date(value))
  // Read here, naming the field, rather than failing at the INSERT: zod takes year 0000, and an
  // offset can carry 9999-12-31 into year 10000.
  .refine(isStorableDate, `must be ${STORABLE_DATE_RANGE}`);
const sourceId = z.string({ message: "must be a string" }).min(1).max(200);
const tokens = z.number().int().min(0).max(2_147_483_647).nullable().default(null);

const fileMessage = z
  .object({
    id: sourceId,
    sequence: z.number({ message: "must be a number" }).int().min(1).max(2_147_483_647),
    role: z.enum(["user", "assistant"]),
    content: storedContentSchema,
    status: z.enum(["streaming", "complete", "stopped", "failed", "interrupted"]),
    finishReason: z.string().max(100).nullable().default(null),
    model: z.string().max(200).nullable().default(null),
    usage: z
      .object({ inputTokens: tokens, outputTokens: tokens })
      .nullable()
      .default({ inputTokens: null, outputTokens: null }),
    error: z.string().max(10_000).nullable().default(null),
    replyTo: sourceId.nullable().default(null),
    createdAt: timestamp,
    updatedAt: timestamp.optional(),
  })
  .refine(saysSomething, { message: "a user message must not be empty", path: ["content"] });

const fileConversation = z.object({
  id: sourceId,
  // As stored: a title read back is the title written (ChatGPT's are tidied, ours are not).
  title: cleanText(z.string({ message: "must be a string" }).max(MAX_TITLE_CHARS))
    .nullable()
    .default(null)
    .transform((title) => title?.trim() || null),
  createdAt: timestamp,
  updatedAt: timestamp,
  messages: z.array(fileMessage, { message: "must be an array" }),
});

/**
 * One conversation of a Chatkeep export, checked and given ids of the importing user's own.
 * Throws a ValidationError naming the first bad field.
 */
export function fromChatkeep(
  value: unknown,
  ids: ImportIds,
): ImportConversationInput["conversation"] {
  const conversation = parseInput(fileConversation, value);
  const ordered = [...conversation.messages].sort((a, b) => a.sequence - b.sequence);
  const sequences = new Set(ordered.map((message) => message.sequence));
  if (sequences.size !== ordered.length) {
    throw new ValidationError("messages repeat a sequence number");
  }
  if (new Set(ordered.map((message) => message.id)).size !== ordered.length) {
    throw new ValidationError("messages repeat an id");
  }
  const messageId = (id: string) => ids.message(CHATKEEP_FORMAT, conversation.id, id);
  return {
    id: ids.conversation(CHATKEEP_FORMAT, conversation.id),
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    messages: ordered.map((message) => ({
      id: messageId(message.id),
      role: message.role,
      content: message.content,
      // Nobody is generating it in this account: it stays what it is, an unfinished reply.
      status: message.status === "streaming" ? "interrupted" : message.status,
      finishReason: message.finishReason,
      model: message.model,
      inputTokens: message.usage?.inputTokens ?? null,
      outputTokens: message.usage?.outputTokens ?? null,
      error: message.error,
      replyTo: message.replyTo === null ? null : messageId(message.replyTo),
      createdAt: message.createdAt,
      updatedAt: message.updatedAt ?? message.createdAt,
    })),
  };
}
