import "server-only";

export type { Database, DatabaseHandle, Driver, OpenDatabaseOptions } from "./client";
export { chooseDriver, openDatabase } from "./client";
export type { ConversationSummary } from "./conversations";
export {
  createConversation,
  deleteConversation,
  getConversation,
  listConversations,
  renameConversation,
} from "./conversations";
export type { AddMessageInput, StoredMessage } from "./messages";
export { addMessage, getMessages } from "./messages";
export type { MessageRole, MessageStatus, User } from "./schema";
export { createUser, getUserByEmail } from "./users";
