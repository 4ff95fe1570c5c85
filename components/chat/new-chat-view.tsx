"use client";

import { findModel, type ModelCatalog, type ModelRef } from "@/client/models";
import { ChatView } from "./chat-view";
import { useShell } from "./shell-context";

/**
 * The view at /: a fresh, empty chat each time "New chat" is chosen, on the person's last
 * choice of model: the one chosen in this tab if any (the page may have been rendered before),
 * else the page's.
 */
export function NewChatView({
  catalog,
  newChatModel,
}: {
  catalog: ModelCatalog;
  newChatModel: ModelRef;
}) {
  const { newChatKey, lastModel } = useShell();
  const model = lastModel && findModel(catalog, lastModel) ? lastModel : newChatModel;
  return (
    <ChatView
      key={newChatKey}
      initialMessages={[]}
      hasMore={false}
      models={{ catalog, model, gone: false }}
    />
  );
}
