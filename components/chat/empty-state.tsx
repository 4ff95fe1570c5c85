"use client";

import { SparkIcon } from "@/components/ui/icons";
import { useShell } from "./shell-context";

const SUGGESTIONS = [
  {
    title: "Explain a concept",
    prompt: "Explain how public-key cryptography works, with an analogy.",
  },
  {
    title: "Write some code",
    prompt: "Write a TypeScript function that debounces another function.",
  },
  { title: "Plan something", prompt: "Help me plan a three-day trip to Lisbon on a small budget." },
  { title: "Improve my writing", prompt: "Make this paragraph clearer and shorter: " },
];

export function EmptyState({ onPick }: { onPick: (prompt: string) => void }) {
  const { user } = useShell();
  const name = user.name?.trim().split(/\s+/)[0];
  return (
    <div className="flex min-h-0 flex-1 flex-col items-center justify-center overflow-y-auto px-4 py-8">
      <div className="flex w-full max-w-2xl flex-col items-center gap-8 text-center">
        <div className="flex flex-col items-center gap-3">
          <span className="grid size-12 place-items-center rounded-2xl border border-zinc-200 bg-white text-zinc-800 shadow-sm dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-200">
            <SparkIcon size={24} />
          </span>
          <h2 className="text-2xl font-semibold tracking-tight text-zinc-900 sm:text-3xl dark:text-zinc-100">
            {name ? `How can I help, ${name}?` : "How can I help you today?"}
          </h2>
          <p className="max-w-md text-sm text-zinc-500 dark:text-zinc-400">
            Every message is saved before it is answered, so nothing you write here gets lost.
          </p>
        </div>
        <ul className="grid w-full gap-2 sm:grid-cols-2">
          {SUGGESTIONS.map((suggestion) => (
            <li key={suggestion.title}>
              <button
                type="button"
                onClick={() => onPick(suggestion.prompt)}
                className="flex h-full w-full flex-col items-start gap-0.5 rounded-2xl border border-zinc-200 bg-white px-4 py-3 text-left transition-colors hover:bg-zinc-50 focus-visible:outline-2 focus-visible:outline-blue-500 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:bg-zinc-800/70"
              >
                <span className="text-sm font-medium text-zinc-900 dark:text-zinc-100">
                  {suggestion.title}
                </span>
                <span className="line-clamp-1 text-sm text-zinc-500 dark:text-zinc-400">
                  {suggestion.prompt}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
