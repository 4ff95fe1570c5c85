import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { toBranchMessageJson } from "@/app/api/conversations/json";
import { requirePageUser } from "@/auth";
import { PAGE_SIZE } from "@/client/conversation/history-window";
import { isUuid } from "@/client/uuid";
import { ChatSkeleton } from "@/components/chat/chat-skeleton";
import { ChatView } from "@/components/chat/chat-view";
import { type ConversationSummary, getConversation, getMessages, getMessagesAround } from "@/db";
import { database } from "@/server/database";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Chatkeep" };

// The sign-in redirect and the not-found check run before anything streams (no loading.js
// here), so they answer with real 307 and 404 statuses; only the messages stream in behind a
// skeleton.
// `?m=<sequence>` opens the conversation at that message (a search result); anything else in it
// is ignored and the conversation opens at its end.
const focusParam = z.coerce.number().int().min(1).max(2_147_483_647);

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ m?: string | string[] }>;
}) {
  const { id } = await params;
  const focus = focusParam.safeParse((await searchParams).m);
  const focusSequence = focus.success ? focus.data : null;
  const user = await requirePageUser(`/c/${id}`);
  if (!isUuid(id)) notFound();
  // Someone else's conversation and a missing one look the same: not found.
  const conversation = await getConversation(await database(), {
    conversationId: id,
    userId: user.id,
  });
  if (!conversation) notFound();
  return (
    <Suspense fallback={<ChatSkeleton />}>
      <Conversation
        key={`${id}:${focusSequence}`}
        conversation={conversation}
        userId={user.id}
        focusSequence={focusSequence}
      />
    </Suspense>
  );
}

async function Conversation({
  conversation,
  userId,
  focusSequence,
}: {
  conversation: ConversationSummary;
  userId: string;
  focusSequence: number | null;
}) {
  const owned = { conversationId: conversation.id, userId, limit: PAGE_SIZE };
  const db = await database();
  const page =
    focusSequence === null
      ? { ...(await getMessages(db, owned)), hasNewer: false }
      : await getMessagesAround(db, { ...owned, around: focusSequence });
  return (
    <ChatView
      key={`${conversation.id}:${focusSequence}`}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={page.items.map(toBranchMessageJson)}
      hasMore={page.hasMore}
      hasNewer={page.hasNewer}
      focusSequence={focusSequence}
    />
  );
}
