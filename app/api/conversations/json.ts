import {
  type BranchMessage,
  type ConversationSummary,
  conversationModel,
  type StoredMessage,
} from "@/db";

// The API's JSON shapes: what clients may rely on, nothing of the storage beyond it.

export function toConversationJson(conversation: ConversationSummary) {
  return {
    id: conversation.id,
    title: conversation.title,
    // The model its next turn is answered by; null: the deployment's default.
    model: conversationModel(conversation),
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
    endpoint: message.endpoint,
    error: message.error,
    createdAt: message.createdAt.toISOString(),
  };
}

/** A message of a branch page: a message with its place in the tree ("version k / n"). */
export function toBranchMessageJson(message: BranchMessage) {
  return {
    ...toMessageJson(message),
    parentId: message.parentId,
    depth: message.depth,
    versionIndex: message.versionIndex,
    versionCount: message.versionCount,
  };
}

export type ConversationJson = ReturnType<typeof toConversationJson>;
export type MessageJson = ReturnType<typeof toMessageJson>;
export type BranchMessageJson = ReturnType<typeof toBranchMessageJson>;
