import { z } from "zod";
import type { ExportedRow } from "@/db/export";
import type { ImportConversationInput } from "@/db/import";
import { ValidationError } from "@/lib/errors";
import { modelRefSchema } from "@/lib/model-ref-schema";
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
// Version 2 added the tree: each message's `parentId` and `versionIndex`, and the conversation's
// `currentLeafId`. Version 1 files (a line) still import.
export const CHATKEEP_FORMAT_VERSION = 2;

/** What `fromChatkeep` reads of a conversation: the reader keeps these and drops the rest. */
export const CHATKEEP_FIELDS = object({
  id: "leaf",
  title: "leaf",
  createdAt: "leaf",
  updatedAt: "leaf",
  currentLeafId: "leaf",
  model: object({ endpointId: "leaf", modelId: "leaf" }),
  messages: array(
    object({
      id: "leaf",
      sequence: "leaf",
      parentId: "leaf",
      versionIndex: "leaf",
      role: "leaf",
      content: "leaf",
      status: "leaf",
      finishReason: "leaf",
      model: "leaf",
      endpoint: "leaf",
      usage: object({ inputTokens: "leaf", outputTokens: "leaf" }),
      error: "leaf",
      replyTo: "leaf",
      createdAt: "leaf",
      updatedAt: "leaf",
    }),
    { messages: true },
  ),
});

export function exportedMessage(message: ExportedRow) {
  return {
    id: message.id,
    sequence: message.sequence,
    parentId: message.parentId,
    versionIndex: message.versionIndex,
    role: message.role,
    content: message.content,
    status: message.status,
    finishReason: message.finishReason,
    model: message.model,
    endpoint: message.endpoint,
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

const messageFields = {
  id: sourceId,
  sequence: z.number({ message: "must be a number" }).int().min(1).max(2_147_483_647),
  role: z.enum(["user", "assistant"]),
  content: storedContentSchema,
  status: z.enum(["streaming", "complete", "stopped", "failed", "interrupted"]),
  finishReason: z.string().max(100).nullable().default(null),
  model: z.string().max(200).nullable().default(null),
  endpoint: z.string().max(100).nullable().default(null),
  usage: z
    .object({ inputTokens: tokens, outputTokens: tokens })
    .nullable()
    .default({ inputTokens: null, outputTokens: null }),
  error: z.string().max(10_000).nullable().default(null),
  replyTo: sourceId.nullable().default(null),
  createdAt: timestamp,
  updatedAt: timestamp.optional(),
};
const notEmpty = { message: "a user message must not be empty", path: ["content"] };

const conversationFields = {
  id: sourceId,
  // As stored: a title read back is the title written (ChatGPT's are tidied, ours are not).
  title: cleanText(z.string({ message: "must be a string" }).max(MAX_TITLE_CHARS))
    .nullable()
    .default(null)
    .transform((title) => title?.trim() || null),
  createdAt: timestamp,
  updatedAt: timestamp,
  // The model the conversation was on (added within version 2: older readers drop it). Only
  // its shape is checked: a model this deployment does not offer is said so when it is opened.
  model: modelRefSchema.nullable().default(null),
};

/** Version 1: the messages are a line, in sequence order. */
const lineConversation = z.object({
  ...conversationFields,
  messages: z.array(z.object(messageFields).refine(saysSomething, notEmpty), {
    message: "must be an array",
  }),
});

/** Version 2: the messages are a tree (`checkTree`). */
const treeConversation = z
  .object({
    ...conversationFields,
    messages: z.array(
      z
        .object({
          ...messageFields,
          parentId: sourceId.nullable(),
          versionIndex: z.number({ message: "must be a number" }).int().min(0).max(2_147_483_647),
        })
        .refine(saysSomething, notEmpty),
      { message: "must be an array" },
    ),
    currentLeafId: sourceId.nullable(),
  })
  .superRefine(checkTree);

/** A file's message and conversation of either version: a line's have no tree fields. */
type FileMessage = z.output<typeof lineConversation>["messages"][number] & {
  parentId?: string | null;
  versionIndex?: number;
};
type FileConversation = Omit<z.output<typeof lineConversation>, "messages"> & {
  messages: FileMessage[];
  currentLeafId?: string | null;
};

/**
 * A tree a reader can trust: each parent an earlier message (by sequence) of the conversation,
 * so there is no cycle; no two versions of a message with one index; the current leaf one of
 * the messages (null only without messages).
 */
function checkTree(
  conversation: z.output<typeof treeConversation>,
  context: z.RefinementCtx,
): void {
  const order = conversation.messages
    .map((message, index) => ({ message, index }))
    .sort((a, b) => a.message.sequence - b.message.sequence);
  const earlier = new Set<string>();
  const versions = new Set<string>();
  for (const { message, index } of order) {
    if (message.parentId !== null && !earlier.has(message.parentId)) {
      context.addIssue({
        code: "custom",
        path: ["messages", index, "parentId"],
        message: "must be the id of an earlier message (by sequence) of this conversation",
      });
      return;
    }
    const version = `${message.parentId ?? ""}:${message.versionIndex}`;
    if (versions.has(version)) {
      context.addIssue({
        code: "custom",
        path: ["messages", index, "versionIndex"],
        message: "is already another version's of the same message",
      });
      return;
    }
    versions.add(version);
    earlier.add(message.id);
  }
  const leaf = conversation.currentLeafId;
  if (leaf === null ? earlier.size > 0 : !earlier.has(leaf)) {
    context.addIssue({
      code: "custom",
      path: ["currentLeafId"],
      message: "must be the id of one of the conversation's messages",
    });
  }
}

/**
 * Each message's place among its parent's versions, 0, 1, 2… in the order of the file's
 * `versionIndex` (a gap, as a file cut short may leave, closes up).
 */
function denseVersionIndexes(messages: FileMessage[]) {
  const byParent = new Map<string | null, FileMessage[]>();
  for (const message of messages) {
    const parent = message.parentId ?? null;
    const siblings = byParent.get(parent);
    if (siblings) siblings.push(message);
    else byParent.set(parent, [message]);
  }
  const dense = new Map<string, number>();
  for (const siblings of byParent.values()) {
    siblings.sort((a, b) => (a.versionIndex ?? 0) - (b.versionIndex ?? 0));
    for (const [index, sibling] of siblings.entries()) dense.set(sibling.id, index);
  }
  return dense;
}

/**
 * One conversation of a Chatkeep export of `version`, checked and given ids of the importing
 * user's own. Throws a ValidationError naming the first bad field.
 */
export function fromChatkeep(
  value: unknown,
  ids: ImportIds,
  version: number = CHATKEEP_FORMAT_VERSION,
): ImportConversationInput["conversation"] {
  const conversation: FileConversation =
    version >= 2 ? parseInput(treeConversation, value) : parseInput(lineConversation, value);
  const ordered = [...conversation.messages].sort((a, b) => a.sequence - b.sequence);
  const sequences = new Set(ordered.map((message) => message.sequence));
  if (sequences.size !== ordered.length) {
    throw new ValidationError("messages repeat a sequence number");
  }
  if (new Set(ordered.map((message) => message.id)).size !== ordered.length) {
    throw new ValidationError("messages repeat an id");
  }
  const messageId = (id: string) => ids.message(CHATKEEP_FORMAT, conversation.id, id);
  const leaf = conversation.currentLeafId;
  const versionIndex = leaf === undefined ? null : denseVersionIndexes(conversation.messages);
  return {
    id: ids.conversation(CHATKEEP_FORMAT, conversation.id),
    title: conversation.title,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    model: conversation.model,
    ...(leaf === undefined ? {} : { currentLeafId: leaf === null ? null : messageId(leaf) }),
    messages: ordered.map((message) => ({
      id: messageId(message.id),
      ...(versionIndex && message.parentId !== undefined
        ? {
            parentId: message.parentId === null ? null : messageId(message.parentId),
            siblingIndex: versionIndex.get(message.id),
          }
        : {}),
      role: message.role,
      content: message.content,
      // Nobody is generating it in this account: it stays what it is, an unfinished reply.
      status: message.status === "streaming" ? "interrupted" : message.status,
      finishReason: message.finishReason,
      model: message.model,
      endpoint: message.endpoint,
      inputTokens: message.usage?.inputTokens ?? null,
      outputTokens: message.usage?.outputTokens ?? null,
      error: message.error,
      replyTo: message.replyTo === null ? null : messageId(message.replyTo),
      createdAt: message.createdAt,
      updatedAt: message.updatedAt ?? message.createdAt,
    })),
  };
}
