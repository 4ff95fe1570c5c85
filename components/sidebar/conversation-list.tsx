"use client";

import { usePathname, useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { groupByRecency } from "@/client/date-groups";
import { clearPending } from "@/client/pending-store";
import { useShell } from "@/components/chat/shell-context";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { useToast } from "@/components/ui/toast";
import { ConversationRow } from "./conversation-row";
import { useConversations } from "./conversations-provider";
import { DeleteDialog } from "./delete-dialog";

function activeConversationId(pathname: string | null): string | null {
  const match = /^\/c\/([^/]+)/.exec(pathname ?? "");
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** "Now" for grouping: the server's clock for the first render (so hydration matches), then ours. */
function useNow(renderedAt: number): number {
  const [now, setNow] = useState(renderedAt);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function useLocalTimeZone(serverZone: string): string {
  const [zone, setZone] = useState(serverZone);
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone || serverZone);
  }, [serverZone]);
  return zone;
}

export function ConversationList({
  timeZone,
  renderedAt,
}: {
  timeZone: string;
  renderedAt: number;
}) {
  const conversations = useConversations();
  const { items, nextCursor, loading, error, loadMore } = conversations;
  const { user } = useShell();
  const pathname = usePathname();
  const router = useRouter();
  const toast = useToast();
  const activeId = activeConversationId(pathname);
  const now = useNow(renderedAt);
  const zone = useLocalTimeZone(timeZone);
  const [deleting, setDeleting] = useState<{ id: string; title: string } | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const sentinelRef = useRef<HTMLDivElement>(null);

  // Re-observed after every page: a sentinel still in view after a short page loads the next.
  // biome-ignore lint/correctness/useExhaustiveDependencies: items.length re-arms the observer.
  useEffect(() => {
    const sentinel = sentinelRef.current;
    if (!sentinel || !nextCursor || loading || error) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void loadMore();
      },
      { root: scrollRef.current, rootMargin: "0px 0px 240px 0px" },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [nextCursor, loading, error, loadMore, items.length]);

  const groups = groupByRecency(items, new Date(now), zone);

  async function confirmDelete() {
    if (!deleting) return;
    const { id } = deleting;
    try {
      await conversations.remove(id);
      clearPending(user.id, id);
      setDeleting(null);
      toast.success("Conversation deleted");
      if (id === activeId) router.push("/");
    } catch (failure) {
      toast.error(failure instanceof Error ? failure.message : "Could not delete the conversation");
    }
  }

  return (
    <div ref={scrollRef} className="min-h-0 flex-1 overflow-y-auto overscroll-contain px-2 pb-3">
      {items.length === 0 && !loading ? (
        <p className="px-3 py-6 text-center text-sm text-zinc-500 dark:text-zinc-400">
          No conversations yet. Start one with New chat.
        </p>
      ) : null}
      <nav aria-label="Conversation history">
        {groups.map((group) => (
          <section key={group.label} className="mt-3 first:mt-1">
            <h3 className="px-3 pb-1 text-xs font-medium text-zinc-500 dark:text-zinc-400">
              {group.label}
            </h3>
            <ul className="flex flex-col gap-px">
              {group.items.map((item) => (
                <ConversationRow
                  key={item.id}
                  item={item}
                  active={item.id === activeId}
                  onRename={conversations.rename}
                  onDelete={() => setDeleting({ id: item.id, title: item.title ?? "New chat" })}
                />
              ))}
            </ul>
          </section>
        ))}
      </nav>
      {loading ? (
        <div
          className="flex flex-col gap-2 px-3 py-2"
          role="status"
          aria-label="Loading conversations"
        >
          <Skeleton className="h-4 w-4/5" />
          <Skeleton className="h-4 w-3/5" />
          <Skeleton className="h-4 w-2/3" />
        </div>
      ) : null}
      {error ? (
        <div className="flex flex-col items-center gap-2 px-3 py-3 text-center text-xs text-zinc-500">
          <p>Could not load more conversations.</p>
          <Button variant="outline" size="sm" onClick={() => void loadMore()}>
            Try again
          </Button>
        </div>
      ) : null}
      {nextCursor ? (
        <div ref={sentinelRef} data-testid="conversations-sentinel" className="h-px" />
      ) : null}
      <DeleteDialog
        open={deleting !== null}
        title={deleting?.title ?? ""}
        onCancel={() => setDeleting(null)}
        onConfirm={confirmDelete}
      />
    </div>
  );
}
