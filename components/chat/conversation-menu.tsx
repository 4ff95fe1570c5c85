"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useRef, useState } from "react";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { DownloadIcon, LinkIcon, MoreIcon } from "@/components/ui/icons";
import { ShareDialog } from "./share-dialog";

const itemClasses = cn(
  "flex w-full cursor-pointer items-center gap-2 rounded-lg px-2.5 py-2 text-left text-sm text-zinc-800 outline-none select-none",
  "data-[highlighted]:bg-zinc-100 dark:text-zinc-200 dark:data-[highlighted]:bg-zinc-800",
);

/** The conversation's own actions, behind a "…" button in the chat header: share, downloads. */
export function ConversationMenu({ conversationId }: { conversationId: string }) {
  const [sharing, setSharing] = useState(false);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const exportUrl = (format: "md" | "json") =>
    `/api/conversations/${conversationId}/export?format=${format}`;
  return (
    <>
      {/* Not modal: the share dialog opens as the menu closes, and must keep the focus. */}
      <DropdownMenu.Root modal={false}>
        <DropdownMenu.Trigger
          ref={triggerRef}
          data-testid="conversation-menu"
          aria-label="Conversation actions"
          title="Conversation actions"
          className={buttonClasses("ghost", "icon")}
        >
          <MoreIcon />
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content
            align="end"
            sideOffset={6}
            className="z-50 min-w-52 animate-[pop-in_120ms_ease-out] rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
          >
            <DropdownMenu.Item
              data-testid="share-conversation"
              className={itemClasses}
              onSelect={() => setSharing(true)}
            >
              <LinkIcon size={16} />
              Share…
            </DropdownMenu.Item>
            {/* Plain links: the server answers with an attachment, so the page stays put. */}
            <DropdownMenu.Item asChild className={itemClasses}>
              <a href={exportUrl("md")} download data-testid="export-markdown">
                <DownloadIcon size={16} />
                Export as Markdown
              </a>
            </DropdownMenu.Item>
            <DropdownMenu.Item asChild className={itemClasses}>
              <a href={exportUrl("json")} download data-testid="export-json">
                <DownloadIcon size={16} />
                Export as JSON
              </a>
            </DropdownMenu.Item>
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      {/* Mounted per opening: each opening is a new share (and a new idempotency key). */}
      {sharing ? (
        <ShareDialog
          conversationId={conversationId}
          open
          onClose={() => setSharing(false)}
          returnFocus={triggerRef}
        />
      ) : null}
    </>
  );
}
