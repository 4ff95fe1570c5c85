import type { MessageJson } from "@/client/messages";
import { AssistantAvatar } from "@/components/chat/message-item";
import { Markdown } from "@/components/markdown/markdown";

const STATUS_NOTES: Partial<Record<MessageJson["status"], string>> = {
  stopped: "Stopped",
  interrupted: "Interrupted",
  failed: "The reply failed",
};

/** One message of a shared conversation: its text, and for a reply how it ended. */
export function SharedMessage({ message }: { message: MessageJson }) {
  if (message.role === "user") {
    return (
      <article data-testid="message" data-role="user" className="flex justify-end">
        <div className="max-w-[85%] rounded-3xl bg-zinc-100 px-4 py-2.5 text-[15px] leading-7 whitespace-pre-wrap break-words text-zinc-900 sm:max-w-[75%] dark:bg-zinc-800 dark:text-zinc-100">
          {message.content}
        </div>
      </article>
    );
  }
  const note = STATUS_NOTES[message.status];
  return (
    <article data-testid="message" data-role="assistant" className="flex gap-3 sm:gap-4">
      <AssistantAvatar />
      <div className="min-w-0 flex-1 pt-0.5">
        {message.content ? (
          <Markdown text={message.content} />
        ) : (
          <p className="text-sm text-zinc-400 italic">No text</p>
        )}
        {note ? (
          <p className="mt-1 text-xs text-zinc-400 italic dark:text-zinc-500">{note}</p>
        ) : null}
      </div>
    </article>
  );
}
