import type { ConversationSummary, StoredMessage } from "@/db";

// The API's JSON shapes: what clients may rely on, nothing of the storage beyond it.

export function toConversationJson(conversation: ConversationSummary) {
  return {
    id: conversation.id,
    title: conversation.title,
    createdAt: conversation.createdAt.toISOString(),
    updatedAt: conversation.updatedAt.toISOString(),
  };
}

export function toMessageJson(message: StoredMessage) {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    sequence: message.sequence,
    status: message.status,
    model: message.model,
    error: message.error,
    createdAt: message.createdAt.toISOString(),
  };
}

export type ConversationJson = ReturnType<typeof toConversationJson>;
export type MessageJson = ReturnType<typeof toMessageJson>;
