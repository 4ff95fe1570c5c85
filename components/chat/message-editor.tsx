"use client";

import { useEffect, useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { MAX_MESSAGE_CHARS } from "@/lib/validation";

/**
 * Edits a sent message in place. Save & send (or Ctrl/Cmd+Enter) sends the text as a new version;
 * Cancel or Escape closes it, and the caller puts focus back where the edit started.
 */
export function MessageEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const ref = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const tooLong = text.length > MAX_MESSAGE_CHARS;
  const canSave = text.trim().length > 0 && !tooLong;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);

  const save = () => {
    if (canSave) onSave(text);
  };

  return (
    <form
      className="flex w-full max-w-[85%] flex-col gap-2 sm:max-w-[75%]"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <textarea
        ref={ref}
        aria-label="Edit your message"
        aria-describedby={hintId}
        data-testid="message-editor"
        value={text}
        rows={Math.min(10, Math.max(2, text.split("\n").length))}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            onCancel();
          } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            save();
          }
        }}
        className="w-full resize-y rounded-2xl border border-zinc-300 bg-white px-4 py-2.5 text-[15px] leading-7 text-zinc-900 outline-none focus:border-zinc-400 focus:ring-2 focus:ring-zinc-200 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:focus:ring-zinc-700"
      />
      <div className="flex items-center justify-end gap-2">
        <span id={hintId} className="mr-auto text-xs text-zinc-500 dark:text-zinc-400">
          {tooLong
            ? `Too long: ${text.length.toLocaleString()} of ${MAX_MESSAGE_CHARS.toLocaleString()} characters`
            : "Sends a new version; the old one stays"}
        </span>
        <Button variant="ghost" size="sm" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" size="sm" disabled={!canSave}>
          Save &amp; send
        </Button>
      </div>
    </form>
  );
}
