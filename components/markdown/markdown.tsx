"use client";

import { Fragment, memo, type ReactNode, useMemo } from "react";
import { cn } from "@/components/ui/cn";
import { CodeBlock } from "./code-block";
import { type Block, type Inline, parseMarkdown } from "./parse";

// Renders the parsed tree to React elements. Every string reaches the DOM as a text node, so
// message content can never inject markup; links are only the http(s) targets the parser let
// through.

/** Children from a positional tree: the position is the identity, so it is the key. */
function each<T>(items: readonly T[], render: (item: T) => ReactNode): ReactNode[] {
  // biome-ignore lint/suspicious/noArrayIndexKey: a parsed tree has no other identity than position.
  return items.map((item, index) => <Fragment key={index}>{render(item)}</Fragment>);
}

function InlineNodes({ nodes }: { nodes: readonly Inline[] }) {
  return <>{each(nodes, renderInline)}</>;
}

function renderInline(node: Inline): ReactNode {
  switch (node.type) {
    case "text":
      return node.text;
    case "break":
      return <br />;
    case "strong":
      return (
        <strong className="font-semibold">
          <InlineNodes nodes={node.children} />
        </strong>
      );
    case "em":
      return (
        <em>
          <InlineNodes nodes={node.children} />
        </em>
      );
    case "del":
      return (
        <del className="text-zinc-500">
          <InlineNodes nodes={node.children} />
        </del>
      );
    case "code":
      return (
        <code className="rounded-md bg-zinc-100 px-1.5 py-0.5 font-mono text-[0.875em] text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
          {node.text}
        </code>
      );
    case "link":
      return (
        <a
          href={node.href}
          target="_blank"
          rel="noopener noreferrer nofollow"
          className="font-medium text-blue-600 underline decoration-blue-600/30 underline-offset-2 hover:decoration-blue-600 dark:text-blue-400 dark:decoration-blue-400/30"
        >
          <InlineNodes nodes={node.children} />
        </a>
      );
  }
}

const headingClasses = {
  1: "mt-6 mb-3 text-2xl font-semibold",
  2: "mt-6 mb-3 text-xl font-semibold",
  3: "mt-5 mb-2 text-lg font-semibold",
  4: "mt-4 mb-2 text-base font-semibold",
  5: "mt-4 mb-2 text-sm font-semibold",
  6: "mt-4 mb-2 text-sm font-semibold text-zinc-600 dark:text-zinc-400",
} as const;

function renderBlock(block: Block, tight = false): ReactNode {
  switch (block.type) {
    case "paragraph":
      return tight ? (
        <InlineNodes nodes={block.children} />
      ) : (
        <p className="my-3 first:mt-0 last:mb-0">
          <InlineNodes nodes={block.children} />
        </p>
      );
    case "heading": {
      const Tag = `h${block.level}` as const;
      return (
        <Tag className={cn(headingClasses[block.level], "first:mt-0")}>
          <InlineNodes nodes={block.children} />
        </Tag>
      );
    }
    case "code":
      return <CodeBlock lang={block.lang} text={block.text} closed={block.closed} />;
    case "hr":
      return <hr className="my-6 border-zinc-200 dark:border-zinc-800" />;
    case "blockquote":
      return (
        <blockquote className="my-3 border-l-4 border-zinc-300 pl-4 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          <Blocks blocks={block.children} />
        </blockquote>
      );
    case "list": {
      const items = each(block.items, (item) => (
        <li className="pl-1 marker:text-zinc-400 [&>ol]:mt-1 [&>ul]:mt-1">
          <Blocks blocks={item} tight={block.tight} />
        </li>
      ));
      return block.ordered ? (
        <ol start={block.start} className="my-3 list-decimal space-y-1 pl-6 first:mt-0 last:mb-0">
          {items}
        </ol>
      ) : (
        <ul className="my-3 list-disc space-y-1 pl-6 first:mt-0 last:mb-0">{items}</ul>
      );
    }
    case "table":
      return (
        <div className="my-3 overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full border-collapse text-sm">
            <thead className="bg-zinc-50 dark:bg-zinc-900">
              <tr>
                {each(block.header, (cell) => (
                  <th className="border-b border-zinc-200 px-3 py-2 text-left font-semibold dark:border-zinc-800">
                    <InlineNodes nodes={cell} />
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {each(block.rows, (row) => (
                <tr className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                  {each(row, (cell) => (
                    <td className="px-3 py-2 align-top">
                      <InlineNodes nodes={cell} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

function Blocks({ blocks, tight = false }: { blocks: readonly Block[]; tight?: boolean }) {
  // Items of a tight list show their text without paragraph spacing.
  return <>{each(blocks, (block) => renderBlock(block, tight && block.type === "paragraph"))}</>;
}

/** A message's text as formatted, safe Markdown. */
export const Markdown = memo(function Markdown({
  text,
  className,
}: {
  text: string;
  className?: string;
}) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div className={cn("text-[15px] leading-7 break-words", className)}>
      <Blocks blocks={blocks} />
    </div>
  );
});
