"use client";

import { memo, useMemo, useSyncExternalStore } from "react";
import ReactMarkdown from "react-markdown";
import { cn } from "@/components/ui/cn";
import { CodeBlock } from "./code-block";
import { markdownElements } from "./elements";
import { rehypePlugins, remarkPlugins, urlTransform } from "./pipeline";
import { BROWSER_BUDGET, type PlannedBlock, planBlocks, type ReplyBudget } from "./plan-blocks";

const elements = markdownElements({ streaming: false });
const streamingFenceElements = markdownElements({ streaming: true });

/** Text shown as it is; long runs of blank lines are cut to one so a flood takes no room. */
function PlainText({ text }: { text: string }) {
  return (
    <p className="my-3 whitespace-pre-wrap first:mt-0 last:mb-0">
      {text.replace(/\n(?:[ \t]*\n){2,}/g, "\n\n")}
    </p>
  );
}

/**
 * One top-level block. Memoized on its source: while a reply streams, the blocks before the
 * last one keep their text, so they are not parsed or rendered again.
 */
const MarkdownBlock = memo(
  function MarkdownBlock({ block }: { block: PlannedBlock }) {
    if (block.as === "plain") return <PlainText text={block.source} />;
    if (block.as === "code" && block.fence) {
      return (
        <CodeBlock lang={block.fence.lang} text={block.fence.code} copyable={block.fence.closed} />
      );
    }
    const streamingFence = block.fence !== undefined && !block.fence.closed;
    return (
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
        urlTransform={urlTransform}
        components={streamingFence ? streamingFenceElements : elements}
      >
        {block.source}
      </ReactMarkdown>
    );
  },
  (before, after) =>
    before.block.source === after.block.source &&
    before.block.as === after.block.as &&
    before.block.fence?.closed === after.block.fence?.closed,
);

const subscribeToNothing = () => () => {};

/**
 * The blocks of a text under a given parsing budget. Exported for the render-bound tests;
 * everything else uses `Markdown`.
 */
export function MarkdownBlocks({ text, budget }: { text: string; budget?: ReplyBudget }) {
  const blocks = useMemo(() => planBlocks(text, budget), [text, budget]);
  return blocks.map((block, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end, so the position is the identity.
    <MarkdownBlock key={index} block={block} />
  ));
}

/** A reply's text as formatted Markdown: no raw HTML, http(s) links only, no remote images. */
export const Markdown = memo(function Markdown({
  text,
  className,
}: {
  text: string;
  className?: string;
}) {
  // The server (and hydration, which must match it) uses the tight server budget; once live,
  // the browser formats what the server left as plain text.
  const live = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  return (
    <div className={cn("markdown text-[15px] leading-7 break-words", className)}>
      <MarkdownBlocks text={text} budget={live ? BROWSER_BUDGET : undefined} />
    </div>
  );
});
