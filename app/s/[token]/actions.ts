"use server";

import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/auth";
import { copySharedConversation } from "@/db";
import { RateLimitedError } from "@/lib/errors";
import { database } from "@/server/database";
import { rememberReturnPath } from "@/server/return-path";
import { copyIdFor, hashShareToken, isShareToken, sharePath } from "@/server/share-token";
import { enforceUserLimit } from "@/server/user-limits";

const continueForm = z.object({ token: z.string().max(100).refine(isShareToken) });

export interface ContinueState {
  /** Why the copy was not made (the visitor's copy budget is spent); null before any attempt. */
  error: string | null;
}

/**
 * "Continue in my account": the link's messages become the visitor's own new conversation,
 * then the visitor is taken there. A server action: proxy.ts refuses it from other sites.
 * Continuing the same link again opens the same copy. Each attempt counts against
 * RATE_LIMIT_SHARE_COPIES_PER_HOUR, since each copy is a whole conversation written at once.
 *
 * Signed out ("Sign in to continue"), it sends the visitor to sign in and back to the link: the
 * way back goes in a cookie, not in the sign-in address, which would put the token in access
 * logs (server/return-path.ts).
 */
export async function continueSharedConversation(
  _previous: ContinueState,
  formData: FormData,
): Promise<ContinueState> {
  const parsed = continueForm.safeParse({ token: formData.get("token") });
  if (!parsed.success) notFound();
  const { token } = parsed.data;
  const user = await currentUser();
  if (!user) {
    await rememberReturnPath(sharePath(token));
    redirect("/sign-in");
  }
  const db = await database();
  try {
    await enforceUserLimit(db, "share-copy", user.id);
  } catch (error) {
    if (!(error instanceof RateLimitedError)) throw error;
    const minutes = Math.max(1, Math.ceil(error.retryAfterMs / 60_000));
    return {
      error: `You have continued too many shared conversations this hour; try again in ${minutes} min`,
    };
  }
  const tokenHash = hashShareToken(token);
  const copy = await copySharedConversation(db, {
    tokenHash,
    userId: user.id,
    conversationId: copyIdFor(user.id, tokenHash),
  });
  if (!copy) notFound();
  redirect(`/c/${copy.conversationId}`);
}
