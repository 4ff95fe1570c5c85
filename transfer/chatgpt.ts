import type { ImportConversationInput, ImportedMessage } from "@/db/import";
import { ValidationError } from "@/lib/errors";
import { IMPORTED_MESSAGE_MAX_CHARS } from "@/lib/import-limits";
import { isStorableDate, STORABLE_DATE_RANGE } from "@/lib/storable-date";
import { cutText } from "@/lib/text-length";
import { titleFromMessage } from "@/lib/title";
import { mappingInTreeOrder } from "./chatgpt-tree";
import type { ImportIds } from "./ids";
import { array, map, object } from "./kept-fields";
import { importTitle, storableText } from "./titles";

// ChatGPT's data export (`conversations.json`): an array of conversations, each a tree of
// message nodes (`mapping`, node id → { id, message, parent, children }) whose branch on screen
// ends at `current_node`. The mapping rules are in docs/export-format.md.
export const CHATGPT_FORMAT = "chatgpt";

/** What `fromChatgpt` reads of a conversation: the reader keeps these and drops the rest. */
export const CHATGPT_FIELDS = object({
  title: "leaf",
  create_time: "leaf",
  update_time: "leaf",
  current_node: "leaf",
  conversation_id: "leaf",
  id: "leaf",
  mapping: map(
    object({
      parent: "leaf",
      message: object({
        author: object({ role: "leaf" }),
        create_time: "leaf",
        content: object({
          content_type: "leaf",
          parts: array(object({ content_type: "leaf", text: "leaf" })),
        }),
        metadata: object({
          attachments: array(object({ name: "leaf" })),
          finish_details: object({ type: "leaf" }),
          model_slug: "leaf",
          is_visually_hidden_from_conversation: "leaf",
        }),
      }),
    }),
    // Every node counts, hidden ones and other branches included: every branch is imported,
    // and a hidden node's children are placed through it.
    { messages: true },
  ),
});

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * Seconds since the epoch (ChatGPT's times, fractional) as a Date; null when absent or not a
 * positive number. A time no database column could hold fails the conversation, naming `field`,
 * here where the file is read rather than at the INSERT.
 */
function epochSeconds(value: unknown, field: string): Date | null {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) return null;
  const date = new Date(value * 1000);
  if (!isStorableDate(date)) throw new ValidationError(`${field} must be ${STORABLE_DATE_RANGE}`);
  return date;
}

/** A content type as a reader sees it in a placeholder: `[image omitted]`. */
const PLACEHOLDER_NAMES: Record<string, string> = {
  image_asset_pointer: "image",
  audio_asset_pointer: "audio",
  real_time_user_audio_video_asset_pointer: "audio/video",
  video_container_asset_pointer: "video",
  code: "code",
  execution_output: "code output",
  tether_browsing_display: "browsing result",
  tether_quote: "quote",
  thoughts: "reasoning",
  reasoning_recap: "reasoning summary",
};

function placeholder(contentType: unknown): string {
  const raw = typeof contentType === "string" ? contentType : "content";
  const name = PLACEHOLDER_NAMES[raw] ?? raw.replace(/[^\w-]/g, "").slice(0, 40);
  return `[${name || "content"} omitted]`;
}

/** The text of one message's content: text parts joined, anything else as a placeholder line. */
export function contentText(content: unknown): string {
  if (!isObject(content)) return placeholder(undefined);
  const type = content.content_type;
  if (type === "text" || type === "multimodal_text") {
    const parts = Array.isArray(content.parts) ? content.parts : [];
    return parts
      .map((part) => {
        if (typeof part === "string") return part;
        // Voice conversations carry what was said beside the audio.
        if (isObject(part) && part.content_type === "audio_transcription") {
          return text(part.text) ?? placeholder("audio_transcription");
        }
        return placeholder(isObject(part) ? part.content_type : undefined);
      })
      .filter((part) => part.trim() !== "")
      .join("\n\n");
  }
  return placeholder(type);
}

function attachmentLines(metadata: Json): string[] {
  const attachments = Array.isArray(metadata.attachments) ? metadata.attachments : [];
  return attachments.map((attachment) => {
    const name = isObject(attachment) ? text(attachment.name) : null;
    return name ? `[attachment omitted: ${cutText(name, 200)}]` : "[attachment omitted]";
  });
}

const SKIPPED_ROLES = new Set(["system", "tool"]);

/**
 * A message's text fitted to the stored limit, with a visible note of what was cut. Counted in
 * UTF-16 units, as the stored content's limit is, and cut between whole characters.
 */
function fitted(content: string): string {
  if (content.length <= IMPORTED_MESSAGE_MAX_CHARS) return content;
  const note = `\n\n[message truncated: ${content.length} characters in the original]`;
  return cutText(content, IMPORTED_MESSAGE_MAX_CHARS - note.length) + note;
}

/**
 * One conversation of ChatGPT's export as Chatkeep stores it: every branch of its tree, each
 * message after its parent, without system, tool, hidden and empty messages (their children hang
 * from their nearest kept ancestor instead); the branch shown ends at `current_node`'s nearest
 * kept ancestor. Throws a ValidationError saying what is wrong when the conversation cannot be
 * read.
 */
export function fromChatgpt(
  value: unknown,
  ids: ImportIds,
): ImportConversationInput["conversation"] {
  if (!isObject(value)) throw new ValidationError("is not an object");
  const mapping = value.mapping;
  if (!isObject(mapping)) throw new ValidationError("mapping must be an object");
  const currentNode = text(value.current_node);
  if (!currentNode) throw new ValidationError("current_node must be a node id");
  if (!Object.hasOwn(mapping, currentNode)) {
    throw new ValidationError(`mapping has no node ${cutText(currentNode, 80)}`);
  }
  // Newer exports carry `conversation_id`, older ones `id`; the last node id is as stable.
  const sourceId = text(value.conversation_id) ?? text(value.id) ?? currentNode;
  const createdAt = epochSeconds(value.create_time, "create_time");
  if (!createdAt) throw new ValidationError("create_time must be a time in seconds");
  const updatedAt = epochSeconds(value.update_time, "update_time") ?? createdAt;

  const messages: ImportedMessage[] = [];
  // For each node visited, its nearest kept ancestor-or-self (the message a child hangs from),
  // the nearest user message (what a reply answers) and the time a message without one takes.
  const kept = new Map<string, ImportedMessage | null>();
  const lastUser = new Map<string, string | null>();
  for (const { id: nodeId, parent, node } of mappingInTreeOrder(mapping)) {
    const above = parent === null ? null : (kept.get(parent) ?? null);
    const userAbove = parent === null ? null : (lastUser.get(parent) ?? null);
    const message = keptMessage(node, nodeId, {
      id: ids.message(CHATGPT_FORMAT, sourceId, nodeId),
      parent: above,
      replyTo: userAbove,
      at: above?.createdAt ?? createdAt,
    });
    if (message) messages.push(message);
    kept.set(nodeId, message ?? above);
    lastUser.set(nodeId, message?.role === "user" ? message.id : userAbove);
  }
  const firstUser = messages.find((message) => message.role === "user");
  const leaf = kept.get(currentNode);
  return {
    id: ids.conversation(CHATGPT_FORMAT, sourceId),
    title:
      importTitle(text(value.title)) ?? (firstUser ? titleFromMessage(firstUser.content) : null),
    createdAt,
    updatedAt,
    messages,
    // No message above current_node: the importer takes the last one.
    ...(leaf ? { currentLeafId: leaf.id } : {}),
  };
}

/** A node's message as stored, or null when it is skipped (no message, system, tool, hidden, empty). */
function keptMessage(
  node: Json,
  nodeId: string,
  place: { id: string; parent: ImportedMessage | null; replyTo: string | null; at: Date },
): ImportedMessage | null {
  const message = node.message;
  if (!isObject(message)) return null;
  const role = isObject(message.author) ? message.author.role : undefined;
  const metadata = isObject(message.metadata) ? message.metadata : {};
  if (typeof role === "string" && SKIPPED_ROLES.has(role)) return null;
  if (metadata.is_visually_hidden_from_conversation === true) return null;
  if (role !== "user" && role !== "assistant") {
    throw new ValidationError(`node ${cutText(nodeId, 80)} has an unknown author role`);
  }
  const content = storableText(
    [contentText(message.content), ...attachmentLines(metadata)]
      .filter((part) => part.trim() !== "")
      .join("\n\n"),
  );
  // An empty message (ChatGPT leaves some on a branch) has nothing to keep.
  if (content.trim() === "") return null;
  const at =
    epochSeconds(message.create_time, `node ${cutText(nodeId, 80)} create_time`) ?? place.at;
  const finish = isObject(metadata.finish_details) ? text(metadata.finish_details.type) : null;
  const model = text(metadata.model_slug);
  return {
    id: place.id,
    parentId: place.parent?.id ?? null,
    role,
    content: fitted(content),
    status: "complete",
    finishReason:
      role === "assistant" ? (finish === null ? null : cutText(storableText(finish), 100)) : null,
    model:
      role === "assistant" ? (model === null ? null : cutText(storableText(model), 200)) : null,
    inputTokens: null,
    outputTokens: null,
    error: null,
    replyTo: role === "assistant" ? place.replyTo : null,
    createdAt: at,
    updatedAt: at,
  };
}
