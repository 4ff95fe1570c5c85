import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { z } from "zod";
import { listModels } from "@/ai/model-catalog";
import { toBranchMessageJson } from "@/app/api/conversations/json";
import { requirePageUser } from "@/auth";
import { conversationModelState } from "@/chat/model-choice";
import { PAGE_SIZE } from "@/client/conversation/history-window";
import { isUuid } from "@/client/uuid";
import { ChatSkeleton } from "@/components/chat/chat-skeleton";
import { ChatView } from "@/components/chat/chat-view";
import {
  type ConversationSummary,
  conversationModel,
  getConversation,
  getMessages,
  locateMessage,
  type MessagePlace,
  openAtMessage,
} from "@/db";
import { database } from "@/server/database";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Chatkeep" };

// The sign-in redirect and the not-found check run before anything streams (no loading.js
// here), so they answer with real 307 and 404 statuses; only the messages stream in behind a
// skeleton.
// `?message=<id>` opens the conversation at that message (a search result) and makes the branch
// holding it the current one; `?m=<sequence>`, the links made before branches, does the same for
// the message with that sequence. A malformed value is ignored and the conversation opens at its
// end; a message not in the conversation is not found.
const messageParam = z.string().refine(isUuid);
const sequenceParam = z.coerce.number().int().min(1).max(2_147_483_647);

type Focus = { messageId: string } | { sequence: number } | null;

function focusOf(query: { m?: string | string[]; message?: string | string[] }): Focus {
  const message = messageParam.safeParse(query.message);
  if (message.success) return { messageId: message.data };
  const sequence = sequenceParam.safeParse(query.m);
  return sequence.success ? { sequence: sequence.data } : null;
}

export default async function ConversationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ m?: string | string[]; message?: string | string[] }>;
}) {
  const { id } = await params;
  const focus = focusOf(await searchParams);
  const user = await requirePageUser(`/c/${id}`);
  if (!isUuid(id)) notFound();
  // Someone else's conversation and a missing one look the same: not found. So does a message
  // that is not in it (another user's, from a hit's forged link).
  const db = await database();
  const owned = { conversationId: id, userId: user.id };
  const conversation = await getConversation(db, owned);
  if (!conversation) notFound();
  const place = focus ? await locateMessage(db, { ...owned, ...focus }) : null;
  if (focus && !place) notFound();
  return (
    <Suspense fallback={<ChatSkeleton />}>
      <Conversation
        key={`${id}:${place?.id}`}
        conversation={conversation}
        userId={user.id}
        place={place}
      />
    </Suspense>
  );
}

async function Conversation({
  conversation,
  userId,
  place,
}: {
  conversation: ConversationSummary;
  userId: string;
  place: MessagePlace | null;
}) {
  const owned = { conversationId: conversation.id, userId, limit: PAGE_SIZE };
  const db = await database();
  // Opening a message shows the branch holding it, and makes it the current one, so a reload
  // (or another device) shows the same branch.
  const [page, catalog] = await Promise.all([
    place === null
      ? getMessages(db, owned).then((newest) => ({ ...newest, hasNewer: false }))
      : openAtMessage(db, { ...owned, messageId: place.id, depth: place.depth }),
    listModels(),
  ]);
  const focusSequence = place?.sequence ?? null;
  return (
    <ChatView
      key={`${conversation.id}:${place?.id}`}
      conversationId={conversation.id}
      title={conversation.title}
      initialMessages={page.items.map(toBranchMessageJson)}
      hasMore={page.hasMore}
      hasNewer={page.hasNewer}
      focusSequence={focusSequence}
      models={{ catalog, ...conversationModelState(catalog, conversationModel(conversation)) }}
    />
  );
}
