"use client";

import { ChatView } from "./chat-view";
import { useShell } from "./shell-context";

/** The view at /: a fresh, empty chat each time "New chat" is chosen. */
export function NewChatView() {
  const { newChatKey } = useShell();
  return <ChatView key={newChatKey} initialMessages={[]} hasMore={false} />;
}
