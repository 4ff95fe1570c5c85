import "server-only";

export type { BranchMessage, BranchPage, BranchPageInput } from "./branches";
export { getBranchPage, getMessages, getMessagesAfter, getMessagesAround } from "./branches";
export type { Database, DatabaseHandle, Driver, OpenDatabaseOptions } from "./client";
export { chooseDriver, openDatabase } from "./client";
export type { ConversationSummary } from "./conversations";
export {
  conversationModel,
  createConversation,
  deleteConversation,
  getConversation,
  lastUsedModel,
  listConversations,
  renameConversation,
  setConversationModel,
} from "./conversations";
export { isDatabaseUnavailable } from "./errors";
export type { ExportChunk, ExportedConversation, ExportedRow } from "./export";
export { readAccount, readConversation, readCurrentBranch } from "./export";
export type { ForkInput } from "./forks";
export { forkConversation } from "./forks";
export type { ImportConversationInput } from "./import";
export { importConversation } from "./import";
export { claimImportLease, releaseImportLease, renewImportLease } from "./import-leases";
export type { AddMessageInput, StoredMessage } from "./messages";
export { addMessage } from "./messages";
export type { MessagePlace } from "./open-message";
export { locateMessage, openAtMessage } from "./open-message";
export { startRateLimitSweeper } from "./rate-limit-sweeper";
export type { RateLimitResult } from "./rate-limits";
export { hitRateLimit, sweepRateLimits } from "./rate-limits";
export type { RegeneratedReply, StartRegenerateInput } from "./regenerate";
export { startRegenerate } from "./regenerate";
export type { Lease, StartContinueInput, StartTurnInput, Turn } from "./replies";
export {
  getLiveReply,
  getOwnMessage,
  getOwnMessages,
  startContinue,
  startTurn,
  stopReply,
} from "./replies";
export type { ReplyOutcome } from "./reply-writes";
export { checkpointReply, finishReply } from "./reply-writes";
export type { MessageRole, MessageStatus, User } from "./schema";
export type { SearchHit } from "./search";
export { searchMessages } from "./search";
export type { SharedConversation, ShareSummary } from "./shares";
export {
  copySharedConversation,
  createShare,
  deleteShare,
  getShare,
  getSharedConversation,
  getSharedMessages,
  listShares,
} from "./shares";
export { createUser, getUserByEmail, getUserById } from "./users";
export type { SwitchVersionInput } from "./versions";
export { findVersion, switchVersion, switchVersionWithPage } from "./versions";
