"use client";

import Link from "next/link";
import { type RefObject, useRef, useState } from "react";
import { createShare } from "@/client/shares-api";
import { newId } from "@/client/uuid";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { inputClasses } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { useOrigin } from "@/components/ui/use-origin";

type State =
  | { step: "ready"; error: string | null }
  | { step: "creating" }
  | { step: "created"; path: string | null };

/**
 * Creates a read-only link to the conversation as it is now, and shows it with a copy button.
 * One share id per opening of the dialog: a retried click finds the same share.
 */
export function ShareDialog({
  conversationId,
  open,
  onClose,
  returnFocus,
}: {
  conversationId: string;
  open: boolean;
  onClose: () => void;
  /** Where the focus goes back to: the menu item that opened the dialog is gone by then. */
  returnFocus?: RefObject<HTMLElement | null>;
}) {
  const [state, setState] = useState<State>({ step: "ready", error: null });
  const createRef = useRef<HTMLButtonElement>(null);
  const [shareId] = useState(newId);
  const origin = useOrigin();

  async function create() {
    setState({ step: "creating" });
    try {
      const share = await createShare(conversationId, shareId);
      setState({ step: "created", path: share.path });
    } catch (error) {
      setState({ step: "ready", error: (error as Error).message });
    }
  }

  const url = state.step === "created" && state.path ? `${origin}${state.path}` : null;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Share conversation"
      testId="share-dialog"
      initialFocus={createRef}
      returnFocus={returnFocus}
      description="Anyone with the link can read this conversation as it is now, without signing in. Messages added later are not shared."
    >
      {url ? (
        <div className="flex items-center gap-2">
          {/* Focused (and so selected) as it appears: Ctrl-C copies it, Tab reaches Copy. */}
          <input
            autoFocus
            readOnly
            value={url}
            aria-label="Share link"
            data-testid="share-link"
            className={inputClasses}
            onFocus={(event) => event.currentTarget.select()}
          />
          <CopyButton text={url} label="Copy link" showLabel testId="copy-share-link" />
        </div>
      ) : null}
      {state.step === "ready" && state.error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {state.error}
        </p>
      ) : null}
      <div className="flex items-center justify-between gap-2">
        <Link
          href="/settings"
          className="text-sm text-zinc-500 underline underline-offset-4 dark:text-zinc-400"
        >
          Manage links
        </Link>
        <div className="flex gap-2">
          <Button variant="outline" onClick={onClose}>
            {state.step === "created" ? "Done" : "Cancel"}
          </Button>
          {state.step !== "created" ? (
            <Button
              ref={createRef}
              data-testid="create-share-link"
              disabled={state.step === "creating"}
              onClick={create}
            >
              {state.step === "creating" ? <Spinner /> : null}
              Create link
            </Button>
          ) : null}
        </div>
      </div>
    </Dialog>
  );
}
