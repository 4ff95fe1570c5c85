import "server-only";
import type { ShareSummary } from "@/db";
import { sharePath, unsealShareToken } from "@/server/share-token";

/**
 * A share as its owner sees it. `path` is the link (`/s/<token>`), or null when the token can
 * no longer be unsealed (AUTH_SECRET changed since): the link still works, but only whoever
 * kept it can open it.
 */
export function toShareJson(share: ShareSummary) {
  const token = unsealShareToken(share.sealedToken);
  return {
    id: share.id,
    conversationId: share.conversationId,
    title: share.title,
    upToSequence: share.upToSequence,
    createdAt: share.createdAt.toISOString(),
    path: token ? sharePath(token) : null,
  };
}

export type ShareJson = ReturnType<typeof toShareJson>;
