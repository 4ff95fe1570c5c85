import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { toMessageJson } from "@/app/api/conversations/json";
import { requirePageUser } from "@/auth";
import { ChatSkeleton } from "@/components/chat/chat-skeleton";
import { ChatView } from "@/components/chat/chat-view";
import { type ConversationSummary, getConversation, getMessages } from "@/db";
import { database } from "@/db/instance";
import { PAGE_SIZE } from "@/lib/client/conversation-controller";
import { isUuid } from "@/lib/client/uuid";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Chatkeep" };

// The sign-in redirect and the not-found check run before anything streams (no loading.js
// here), so they answer with real 307 and 404 statuses; only the messages stream in behind a
// skeleton.
export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
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
      <Conversation key={id} conversation={conversation} userId={user.id} />
    </Suspense>
  );
}

async function Conversation({
  conversation,
  userId,
}: {
  conversation: ConversationSummary;
  userId: string;
}) {
  const page = await getMessages(await database(), {
    conversationId: conversation.id,
    userId,
    limit: PAGE_SIZE,
  });
  return (
    <ChatView
      key={conversation.id}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={page.items.map(toMessageJson)}
      hasMore={page.hasMore}
    />
  );
}
