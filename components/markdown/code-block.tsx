"use client";

import { CopyButton } from "@/components/ui/copy-button";

export function CodeBlock({
  lang,
  text,
  closed,
}: {
  lang: string | null;
  text: string;
  closed: boolean;
}) {
  return (
    <div className="group/code my-3 overflow-hidden rounded-xl border border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/70">
      <div className="flex h-9 items-center justify-between border-b border-zinc-200 px-3 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
        <span className="font-mono">{lang ?? "text"}</span>
        {closed ? <CopyButton text={text} label="Copy code" showLabel /> : null}
      </div>
      <pre className="overflow-x-auto p-3.5 text-[13px] leading-relaxed">
        <code className="font-mono text-zinc-800 dark:text-zinc-200">{text}</code>
      </pre>
    </div>
  );
}
