"use client";

import type { ReactNode } from "react";
import { CopyButton } from "@/components/ui/copy-button";

/**
 * A fenced code block: its language, a copy button once the block is complete, and the code —
 * highlighted `<code>` from the Markdown pipeline, or plain text when it was too long for it.
 */
export function CodeBlock({
  lang,
  text,
  copyable,
  children,
}: {
  lang: string | null;
  text: string;
  copyable: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="group/code my-3 overflow-hidden rounded-xl border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/70">
      <div className="flex h-9 items-center justify-between border-b border-zinc-200 px-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <span className="font-mono">{lang ?? "text"}</span>
        {copyable ? <CopyButton text={text} label="Copy code" showLabel /> : null}
      </div>
      <pre className="overflow-x-auto p-3.5 text-[13px] leading-relaxed">
        {children ?? <code>{text}</code>}
      </pre>
    </div>
  );
}
