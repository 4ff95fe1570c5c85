import Link from "next/link";
import type { ContinueState } from "@/app/s/[token]/actions";
import type { MessageJson } from "@/client/messages";
import { buttonClasses } from "@/components/ui/button";
import { ChatIcon } from "@/components/ui/icons";
import { ContinueForm } from "./continue-form";
import { SharedMessage } from "./shared-message";

interface Props {
  title: string | null;
  sharedAt: string;
  messages: MessageJson[];
  /** The next page of the conversation, when there is more. */
  newerHref: string | null;
  /** Back to the first page, when this is not it. */
  startHref: string | null;
  token: string;
  /** Signed out, the continue action sends the visitor to sign in and back here. */
  signedIn: boolean;
  continueAction: (state: ContinueState, formData: FormData) => Promise<ContinueState>;
}

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/**
 * A shared conversation, read-only and server-rendered: no composer, no message actions, and
 * nothing about who shared it.
 */
export function SharedConversationView({
  title,
  sharedAt,
  messages,
  newerHref,
  startHref,
  token,
  signedIn,
  continueAction,
}: Props) {
  return (
    <div className="flex min-h-dvh flex-col" data-testid="shared-conversation">
      <header className="sticky top-0 z-10 border-b border-zinc-200/70 bg-white/80 backdrop-blur dark:border-zinc-800/70 dark:bg-zinc-950/80">
        <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-3">
          <Link
            href="/"
            aria-label="Chatkeep"
            className="grid size-8 shrink-0 place-items-center rounded-lg border border-zinc-200 text-zinc-700 dark:border-zinc-800 dark:text-zinc-300"
          >
            <ChatIcon size={16} />
          </Link>
          <div className="min-w-0 flex-1">
            <h1 className="truncate text-[15px] font-medium" data-testid="shared-title">
              {title ?? "Shared conversation"}
            </h1>
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              Shared conversation, as of{" "}
              <time dateTime={sharedAt}>{dateFormat.format(new Date(sharedAt))}</time> · read-only
            </p>
          </div>
          <ContinueForm token={token} signedIn={signedIn} action={continueAction} />
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-6 px-4 py-6">
        {startHref ? (
          <Link href={startHref} className="self-center text-sm text-zinc-500 underline">
            Back to the start
          </Link>
        ) : null}
        {messages.length === 0 ? (
          <p className="py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">
            Nothing was said in this conversation yet when it was shared.
          </p>
        ) : (
          messages.map((message) => <SharedMessage key={message.id} message={message} />)
        )}
        {newerHref ? (
          <Link
            href={newerHref}
            data-testid="shared-newer"
            className={buttonClasses("outline", "md", "self-center")}
          >
            Show the next messages
          </Link>
        ) : null}
      </main>
    </div>
  );
}
