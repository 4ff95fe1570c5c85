import { apiError, fetchWithTimeout } from "./api";

/** A share as the API answers it (app/api/shares/json.ts). */
export interface ShareItem {
  id: string;
  conversationId: string;
  title: string | null;
  upToSequence: number;
  createdAt: string;
  /** `/s/<token>`, or null when the link can no longer be shown (AUTH_SECRET changed). */
  path: string | null;
}

export interface SharePage {
  items: ShareItem[];
  nextCursor: string | null;
}

async function call<T>(input: string, method = "GET", body?: unknown): Promise<T> {
  const response = await fetchWithTimeout(input, {
    method,
    // Every request that changes something is JSON, body or not: the API refuses others.
    headers:
      method === "GET" ? { accept: "application/json" } : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await apiError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Shares the conversation as it is now; `id` makes a retry find the same share. */
export function createShare(conversationId: string, id: string): Promise<ShareItem> {
  return call(`/api/conversations/${encodeURIComponent(conversationId)}/shares`, "POST", { id });
}

export function listShares(cursor?: string | null): Promise<SharePage> {
  const query = new URLSearchParams(cursor ? { cursor } : {});
  return call(`/api/shares?${query}`);
}

export function revokeShare(id: string): Promise<void> {
  return call(`/api/shares/${encodeURIComponent(id)}`, "DELETE");
}
