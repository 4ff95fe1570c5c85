"use client";

import { type Ref, useEffect, useImperativeHandle, useLayoutEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ArrowUpIcon, StopIcon } from "@/components/ui/icons";
import { MAX_MESSAGE_CHARS } from "@/lib/validation";

export interface ComposerHandle {
  setText: (text: string) => void;
  focus: () => void;
}

const MAX_HEIGHT_PX = 240;

function readDraft(key: string): string {
  try {
    return localStorage.getItem(key) ?? "";
  } catch {
    return "";
  }
}

function writeDraft(key: string, text: string) {
  try {
    if (text) localStorage.setItem(key, text);
    else localStorage.removeItem(key);
  } catch {
    // Storage full or blocked: the draft just is not kept.
  }
}

/**
 * The message box. Enter sends, Shift+Enter starts a new line (and Enter while an input method
 * is composing text is left to it). The draft is kept in localStorage per conversation, so a
 * reload or a crash does not lose a long message being written.
 */
export function Composer({
  busy,
  onSend,
  onStop,
  draftKey,
  ref,
}: {
  busy: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  draftKey: string;
  ref?: Ref<ComposerHandle>;
}) {
  const [text, setText] = useState("");
  // Read-only until hydrated: keys typed into the server-rendered box would never reach React
  // (an Enter would be lost), and automated typing waits for the box to become editable.
  const [hydrated, setHydrated] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const loadedKey = useRef<string | null>(null);

  useEffect(() => {
    setHydrated(true);
    // Ready to type on arrival with a keyboard; on touch screens the keyboard would pop up.
    if (window.matchMedia("(pointer: fine)").matches) textareaRef.current?.focus();
  }, []);

  useImperativeHandle(ref, () => ({
    setText: (value: string) => {
      setText(value);
      requestAnimationFrame(() => {
        const area = textareaRef.current;
        area?.focus();
        area?.setSelectionRange(value.length, value.length);
      });
    },
    focus: () => textareaRef.current?.focus(),
  }));

  // The draft is read after hydration: the server cannot know it. Text already in the box
  // (autofill, a fast typist) wins over an older draft.
  useEffect(() => {
    loadedKey.current = draftKey;
    const present = textareaRef.current?.value ?? "";
    const draft = present || readDraft(draftKey);
    if (draft) setText(draft);
  }, [draftKey]);

  useEffect(() => {
    if (loadedKey.current !== draftKey) return;
    const timer = setTimeout(() => writeDraft(draftKey, text), 250);
    return () => clearTimeout(timer);
  }, [draftKey, text]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the height follows the text.
  useLayoutEffect(() => {
    const area = textareaRef.current;
    if (!area) return;
    area.style.height = "auto";
    area.style.height = `${Math.min(area.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  // Escape stops a reply wherever the focus is, unless a dialog or menu is using it.
  useEffect(() => {
    if (!busy) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape" || event.defaultPrevented) return;
      if (document.querySelector("[role=dialog], [role=alertdialog], [role=menu]")) return;
      onStop();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [busy, onStop]);

  const trimmed = text.trim();
  const tooLong = text.length > MAX_MESSAGE_CHARS;
  const canSend = !busy && trimmed.length > 0 && !tooLong;

  function send() {
    if (!canSend) return;
    onSend(trimmed);
    setText("");
    writeDraft(draftKey, "");
  }

  return (
    <form
      className="relative"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <div
        className={cn(
          "flex items-end gap-2 rounded-[26px] border bg-white p-2 pl-4 shadow-sm transition-[border-color]",
          "border-zinc-300 focus-within:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:focus-within:border-zinc-600",
          tooLong && "border-red-400 focus-within:border-red-500 dark:border-red-500/70",
        )}
      >
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          ref={textareaRef}
          data-testid="composer"
          rows={1}
          readOnly={!hydrated}
          value={text}
          placeholder="Message Chatkeep"
          aria-invalid={tooLong || undefined}
          aria-describedby="composer-hint"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
            event.preventDefault();
            send();
          }}
          className="max-h-60 min-h-10 flex-1 resize-none bg-transparent py-2 text-[15px] leading-6 text-zinc-900 outline-none placeholder:text-zinc-400 dark:text-zinc-100 dark:placeholder:text-zinc-500"
        />
        {busy ? (
          <Button
            type="button"
            data-testid="stop"
            aria-label="Stop generating"
            title="Stop (Esc)"
            size="icon"
            className="rounded-full"
            onClick={onStop}
          >
            <StopIcon />
          </Button>
        ) : (
          <Button
            type="submit"
            data-testid="send"
            aria-label="Send message"
            title="Send (Enter)"
            size="icon"
            className="rounded-full"
            disabled={!canSend}
          >
            <ArrowUpIcon />
          </Button>
        )}
      </div>
      <p
        id="composer-hint"
        className={cn(
          "mt-2 text-center text-xs",
          tooLong ? "text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-500",
        )}
      >
        {tooLong
          ? `Too long: ${text.length.toLocaleString()} of ${MAX_MESSAGE_CHARS.toLocaleString()} characters`
          : busy
            ? "Esc to stop"
            : "Enter to send · Shift+Enter for a new line"}
      </p>
    </form>
  );
}
