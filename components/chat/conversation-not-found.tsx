"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { localPendingStore } from "@/client/pending-store";
import { isUuid } from "@/client/uuid";
import { buttonClasses } from "@/components/ui/button";
import { ChatHeader } from "./chat-header";
import { ChatView } from "./chat-view";
import { useShell } from "./shell-context";

/**
 * A conversation the server does not have. Usually a wrong or foreign address; but a new chat
 * whose first message never reached the server exists only in this browser's pending store,
 * and a reload must not lose it: then the chat is shown and the message sent again.
 */
export function ConversationNotFound() {
  const { user } = useShell();
  const pathname = usePathname();
  const id = /^\/c\/([^/]+)/.exec(pathname ?? "")?.[1] ?? null;
  const [unsent, setUnsent] = useState(false);

  useEffect(() => {
    setUnsent(id !== null && isUuid(id) && localPendingStore(user.id, id).load().length > 0);
  }, [id, user.id]);

  if (unsent && id) {
    return (
      <ChatView key={id} conversationId={id} title={null} initialMessages={[]} hasMore={false} />
    );
  }
  return (
    <main className="flex min-h-0 flex-1 flex-col">
      <ChatHeader title="Not found" />
      <div
        data-testid="not-found"
        className="flex flex-1 flex-col items-center justify-center gap-3 px-6 text-center"
      >
        <p className="text-5xl font-semibold tracking-tight text-zinc-300 dark:text-zinc-700">
          404
        </p>
        <h2 className="text-xl font-semibold">Conversation not found</h2>
        <p className="max-w-sm text-sm text-zinc-500 dark:text-zinc-400">
          It may have been deleted, or the link is wrong.
        </p>
        <Link href="/" className={buttonClasses("primary", "md", "mt-2")}>
          Start a new chat
        </Link>
      </div>
    </main>
  );
}
