"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { type ControllerEvents, ConversationController } from "@/client/conversation/controller";
import { lastAssistant, type MessageJson } from "@/client/messages";
import { type ModelCatalog, type ModelRef, modelLabel } from "@/client/models";
import { localPendingStore } from "@/client/pending-store";
import { draftKey } from "@/client/user-storage";
import { newId } from "@/client/uuid";
import { useConversations } from "@/components/sidebar/conversations-provider";
import { useToast } from "@/components/ui/toast";
import { ChatHeader } from "./chat-header";
import { Composer, type ComposerHandle } from "./composer";
import { ConnectionStatus } from "./connection-status";
import { EmptyState } from "./empty-state";
import type { MessageActions } from "./message-item";
import { MessageList } from "./message-list";
import { ModelCatalogContext } from "./model-catalog-context";
import { ModelGoneNotice } from "./model-gone-notice";
import { useShell } from "./shell-context";

export interface ChatViewProps {
  /** Absent for a new chat: the browser picks the id when the first message is sent. */
  conversationId?: string;
  title?: string | null;
  initialMessages: MessageJson[];
  hasMore: boolean;
  /** Opened at a message: `initialMessages` is the page around it, not the newest page. */
  focusSequence?: number | null;
  hasNewer?: boolean;
  /**
   * The models to pick from, and the one the conversation is on (`gone`: no longer listed). A
   * new chat's is the person's last choice. Absent where the page has none to give (a chat
   * only this browser knows of): its unsent messages go with the models they were written for.
   */
  models?: { catalog: ModelCatalog; model: ModelRef; gone: boolean };
}

/**
 * One conversation on screen. The controller does the talking to the server; this wires it to
 * React, the sidebar, toasts and the address bar.
 */
export function ChatView({
  conversationId,
  title,
  initialMessages,
  hasMore,
  focusSequence = null,
  hasNewer = false,
  models,
}: ChatViewProps) {
  const { user, setLastModel } = useShell();
  const conversations = useConversations();
  const toast = useToast();
  const router = useRouter();
  const composerRef = useRef<ComposerHandle>(null);
  const [isNew] = useState(() => conversationId === undefined);

  // Callbacks change every render; the controller lives for the whole view and reads the latest.
  const events = useRef<ControllerEvents>({});
  events.current = {
    onFirstSend: (id) => {
      // The view stays mounted: only the address changes, so nothing is refetched or lost.
      window.history.replaceState(null, "", `/c/${id}`);
    },
    onActivity: (id, titleIfNew) => conversations.touch(id, titleIfNew),
    onReplySettled: () => void conversations.refresh(),
    onError: (message) => toast.error(message),
    onModelChosen: (model) => setLastModel(model),
    onSessionExpired: () =>
      toast.error("Your session has ended. Sign in again; unsent messages are kept.", {
        label: "Sign in",
        onClick: () => {
          window.location.assign(
            `/sign-in?callbackUrl=${encodeURIComponent(window.location.pathname)}`,
          );
        },
      }),
  };

  // The copy made by "Branch into new chat" is a conversation of its own: list it and open it.
  const openForked = useRef((_id: string) => {});
  openForked.current = (id) => {
    void conversations.refresh();
    router.push(`/c/${id}`);
  };

  const [controller] = useState(() => {
    const id = conversationId ?? newId();
    return new ConversationController(
      {
        conversationId: id,
        initialMessages,
        hasMore,
        hasNewer,
        isNew: conversationId === undefined,
        model: models?.model ?? null,
        modelGone: models?.gone ?? false,
      },
      localPendingStore(user.id, id),
      {
        onFirstSend: (cid) => events.current.onFirstSend?.(cid),
        onActivity: (cid, t) => events.current.onActivity?.(cid, t),
        onReplySettled: (cid) => events.current.onReplySettled?.(cid),
        onError: (message) => events.current.onError?.(message),
        onSessionExpired: () => events.current.onSessionExpired?.(),
        onModelChosen: (model) => events.current.onModelChosen?.(model),
      },
    );
  });

  useEffect(() => {
    controller.start();
    return () => controller.dispose();
  }, [controller]);

  const snapshot = useSyncExternalStore(
    controller.subscribe,
    controller.getSnapshot,
    controller.getSnapshot,
  );
  const { messages, busy, liveReplyId } = snapshot;
  const lastReplyId = lastAssistant(messages)?.id ?? null;

  const actions = useMemo<MessageActions>(
    () => ({
      regenerate: (replyId, model) => void controller.regenerate(replyId, model),
      continueReply: (replyId) => void controller.continueReply(replyId),
      retrySend: (messageId) => controller.retry(messageId),
      discard: (messageId) => controller.discard(messageId),
      edit: (messageId, content) => {
        controller.edit(messageId, content);
        // The edited message leaves the screen with its branch; typing goes on below.
        composerRef.current?.focus();
      },
      switchVersion: (messageId, versionIndex) => controller.switchVersion(messageId, versionIndex),
      fork: (messageId) => {
        void controller.fork(messageId).then((id) => {
          if (id) openForked.current(id);
        });
      },
    }),
    [controller],
  );
  const loadOlder = useMemo(() => () => void controller.loadOlder(), [controller]);
  const loadNewer = useMemo(() => () => void controller.loadNewer(), [controller]);
  const jumpToLatest = useMemo(() => () => void controller.jumpToLatest(), [controller]);
  const stop = useMemo(() => () => void controller.stop(), [controller]);
  const send = useMemo(() => (text: string) => controller.send(text), [controller]);
  const pickModel = useMemo(
    () => (model: ModelRef) => void controller.pickModel(model),
    [controller],
  );
  const catalog = models?.catalog ?? null;
  const shownModel = snapshot.model ?? catalog?.default ?? null;

  const listed = conversations.items.find((item) => item.id === controller.conversationId);
  const shownTitle = listed?.title ?? title ?? null;
  const empty = messages.length === 0;

  useEffect(() => {
    document.title = shownTitle ? `${shownTitle} · Chatkeep` : "Chatkeep";
  }, [shownTitle]);

  return (
    <main className="flex min-h-0 flex-1 flex-col" aria-label="Chat">
      <ChatHeader
        title={empty && isNew ? null : shownTitle}
        conversationId={empty && isNew ? undefined : controller.conversationId}
        model={
          catalog && shownModel ? { catalog, value: shownModel, onPick: pickModel } : undefined
        }
      />
      {catalog && shownModel && snapshot.modelGone ? (
        <ModelGoneNotice
          label={modelLabel(catalog, shownModel)}
          defaultLabel={modelLabel(catalog, catalog.default)}
          onUseDefault={() => {
            pickModel(catalog.default);
            // The notice and its button go away: typing goes on where the next turn is written.
            composerRef.current?.focus();
          }}
        />
      ) : null}
      {empty ? (
        <EmptyState onPick={(prompt) => composerRef.current?.setText(prompt)} />
      ) : (
        <ModelCatalogContext value={catalog}>
          <MessageList
            messages={messages}
            hasMore={snapshot.hasMore}
            older={snapshot.older}
            onLoadOlder={loadOlder}
            hasNewer={snapshot.hasNewer}
            newer={snapshot.newer}
            onLoadNewer={loadNewer}
            onJumpToLatest={jumpToLatest}
            focusSequence={focusSequence}
            liveReplyId={liveReplyId}
            lastReplyId={lastReplyId}
            idle={busy === null}
            actions={actions}
            awaitingReply={busy === "sending"}
          />
        </ModelCatalogContext>
      )}
      <div className="shrink-0 px-3 pb-3 sm:px-6">
        <div className="mx-auto w-full max-w-3xl">
          <ConnectionStatus unreachable={snapshot.unreachable} />
          <Composer
            ref={composerRef}
            busy={busy !== null}
            onSend={send}
            onStop={stop}
            draftKey={draftKey(user.id, empty && isNew ? "new" : controller.conversationId)}
          />
        </div>
      </div>
    </main>
  );
}
