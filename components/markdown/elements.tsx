import type { Element, ElementContent } from "hast";
import type { ReactNode } from "react";
import type { Components } from "react-markdown";
import { CodeBlock } from "./code-block";
import { safeHref } from "./safe-href";

// How each Markdown element looks, and the last word on what a link may do.

const LINK_CLASSES =
  "font-medium text-blue-600 underline decoration-blue-600/30 underline-offset-2 hover:decoration-blue-600 dark:text-blue-400 dark:decoration-blue-400/30";

function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className={LINK_CLASSES}>
      {children}
    </a>
  );
}

function textOf(node: ElementContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

function codeChild(pre: Element | undefined): Element | undefined {
  return pre?.children.find(
    (child): child is Element => child.type === "element" && child.tagName === "code",
  );
}

function languageOf(code: Element | undefined): string | null {
  const classes = code?.properties.className;
  if (!Array.isArray(classes)) return null;
  const language = classes.find((name) => String(name).startsWith("language-"));
  return language ? String(language).slice("language-".length) : null;
}

const headingClasses = {
  h1: "mt-6 mb-3 text-2xl font-semibold first:mt-0",
  h2: "mt-6 mb-3 text-xl font-semibold first:mt-0",
  h3: "mt-5 mb-2 text-lg font-semibold first:mt-0",
  h4: "mt-4 mb-2 text-base font-semibold first:mt-0",
  h5: "mt-4 mb-2 text-sm font-semibold first:mt-0",
  h6: "mt-4 mb-2 text-sm font-semibold text-zinc-600 first:mt-0 dark:text-zinc-400",
} as const;

/** `streaming`: the block is a code fence still arriving, so there is nothing to copy yet. */
export function markdownElements({ streaming }: { streaming: boolean }): Components {
  return {
    // Only http(s) targets survive urlTransform; a link without one keeps just its text, so
    // `javascript:` or `data:` links are inert words on the page.
    a: ({ href, children }) => {
      const safe = href ? safeHref(href) : null;
      return safe ? <ExternalLink href={safe}>{children}</ExternalLink> : <span>{children}</span>;
    },
    // Images become links: loading a remote image would tell its host the reply was read.
    img: ({ src, alt }) => {
      const safe = typeof src === "string" ? safeHref(src) : null;
      const label = alt || (typeof src === "string" ? src : "") || "image";
      return safe ? <ExternalLink href={safe}>{label}</ExternalLink> : <span>{label}</span>;
    },
    pre: ({ node, children }) => {
      const code = codeChild(node);
      return (
        <CodeBlock
          lang={languageOf(code)}
          text={code ? textOf(code).replace(/\n$/, "") : ""}
          copyable={!streaming}
        >
          {children}
        </CodeBlock>
      );
    },
    p: ({ children }) => <p className="my-3 first:mt-0 last:mb-0">{children}</p>,
    h1: ({ children }) => <h1 className={headingClasses.h1}>{children}</h1>,
    h2: ({ children }) => <h2 className={headingClasses.h2}>{children}</h2>,
    h3: ({ children }) => <h3 className={headingClasses.h3}>{children}</h3>,
    h4: ({ children }) => <h4 className={headingClasses.h4}>{children}</h4>,
    h5: ({ children }) => <h5 className={headingClasses.h5}>{children}</h5>,
    h6: ({ children }) => <h6 className={headingClasses.h6}>{children}</h6>,
    strong: ({ children }) => <strong className="font-semibold">{children}</strong>,
    del: ({ children }) => <del className="text-zinc-500">{children}</del>,
    hr: () => <hr className="my-6 border-zinc-200 dark:border-zinc-800" />,
    blockquote: ({ children }) => (
      <blockquote className="my-3 border-l-4 border-zinc-300 pl-4 text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
        {children}
      </blockquote>
    ),
    ul: ({ className, children }) => (
      <ul
        className={
          className === "contains-task-list"
            ? "my-3 list-none space-y-1 pl-1 first:mt-0 last:mb-0"
            : "my-3 list-disc space-y-1 pl-6 first:mt-0 last:mb-0"
        }
      >
        {children}
      </ul>
    ),
    ol: ({ start, children }) => (
      <ol start={start} className="my-3 list-decimal space-y-1 pl-6 first:mt-0 last:mb-0">
        {children}
      </ol>
    ),
    li: ({ children }) => (
      <li className="pl-1 marker:text-zinc-400 [&>ol]:mt-1 [&>ul]:mt-1">{children}</li>
    ),
    input: ({ checked }) => (
      <input
        type="checkbox"
        checked={Boolean(checked)}
        disabled
        readOnly
        className="mr-1.5 align-middle accent-zinc-700"
      />
    ),
    table: ({ children }) => (
      <div className="my-3 overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
        <table className="w-full border-collapse text-sm">{children}</table>
      </div>
    ),
    thead: ({ children }) => <thead className="bg-zinc-50 dark:bg-zinc-900">{children}</thead>,
    tr: ({ children }) => (
      <tr className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">{children}</tr>
    ),
    // A column's alignment arrives as `style.textAlign`, the only style the pipeline sets.
    th: ({ style, children }) => (
      <th
        style={style}
        className="border-b border-zinc-200 px-3 py-2 text-left font-semibold dark:border-zinc-800"
      >
        {children}
      </th>
    ),
    td: ({ style, children }) => (
      <td style={style} className="px-3 py-2 align-top">
        {children}
      </td>
    ),
  };
}
