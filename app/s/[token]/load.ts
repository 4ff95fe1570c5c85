import "server-only";
import { cache } from "react";
import { getSharedConversation, type SharedConversation } from "@/db";
import { database } from "@/server/database";
import { hashShareToken, isShareToken } from "@/server/share-token";

export interface OpenedShare extends SharedConversation {
  tokenHash: string;
}

/**
 * The share a link's token opens, or null; once per request (metadata and page both ask). A
 * malformed token is answered like an unknown one, without asking the database.
 */
export const openShare = cache(async (token: string): Promise<OpenedShare | null> => {
  if (!isShareToken(token)) return null;
  const tokenHash = hashShareToken(token);
  const share = await getSharedConversation(await database(), { tokenHash });
  return share ? { ...share, tokenHash } : null;
});
