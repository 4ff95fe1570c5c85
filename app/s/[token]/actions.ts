"use server";

import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/auth";
import { copySharedConversation } from "@/db";
import { database } from "@/db/instance";
import { rememberReturnPath } from "@/lib/return-path";
import { copyIdFor, hashShareToken, isShareToken, sharePath } from "@/lib/share-token";

const continueForm = z.object({ token: z.string().max(100).refine(isShareToken) });

/**
 * "Continue in my account": the link's messages become the visitor's own new conversation,
 * then the visitor is taken there. A server action, so Next's Origin check keeps other sites
 * from posting it. Continuing the same link again opens the same copy.
 *
 * Signed out ("Sign in to continue"), it sends the visitor to sign in and back to the link: the
 * way back goes in a cookie, not in the sign-in address, which would put the token in access
 * logs (lib/return-path.ts).
 */
export async function continueSharedConversation(formData: FormData): Promise<never> {
  const parsed = continueForm.safeParse({ token: formData.get("token") });
  if (!parsed.success) notFound();
  const { token } = parsed.data;
  const user = await currentUser();
  if (!user) {
    await rememberReturnPath(sharePath(token));
    redirect("/sign-in");
  }
  const tokenHash = hashShareToken(token);
  const copy = await copySharedConversation(await database(), {
    tokenHash,
    userId: user.id,
    conversationId: copyIdFor(user.id, tokenHash),
  });
  if (!copy) notFound();
  redirect(`/c/${copy.conversationId}`);
}
