import type { Nodes as MdastNodes, Parent as MdastParent, RootContent } from "mdast";
import type { Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize, { defaultSchema } from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { safeHref } from "./safe-href";

// The unified pipeline behind every Markdown block: GFM, raw HTML turned into visible text,
// highlighting, then sanitizing what the highlighter and GFM produced.

const FLOW_PARENTS = new Set(["root", "blockquote", "listItem"]);

function htmlAsText(node: RootContent, parent: MdastParent): RootContent {
  if (node.type !== "html") return node;
  const text = { type: "text" as const, value: node.value };
  // An HTML block stands where a paragraph could; inline HTML sits inside one already.
  return FLOW_PARENTS.has(parent.type) ? { type: "paragraph", children: [text] } : text;
}

function replaceHtml(node: MdastNodes) {
  if (!("children" in node)) return;
  const parent = node as MdastParent;
  parent.children = parent.children.map((child) =>
    htmlAsText(child, parent),
  ) as typeof parent.children;
  for (const child of parent.children) replaceHtml(child);
}

/**
 * Raw HTML in a reply is shown as the text it is: never parsed (no rehype-raw), and not
 * silently dropped either, so a reply about HTML still reads correctly. The recursion is
 * bounded: only blocks with shallow nesting reach the parser (plan-blocks.ts).
 */
function remarkHtmlAsText() {
  return (tree: MdastNodes) => replaceHtml(tree);
}

/** GitHub's schema, with http(s) as the only link scheme and highlight.js classes on code. */
const schema = {
  ...defaultSchema,
  protocols: { ...defaultSchema.protocols, href: ["http", "https"], src: ["http", "https"] },
  attributes: {
    ...defaultSchema.attributes,
    code: [["className", /^language-./, "hljs"]],
    span: [["className", /^hljs-./]],
  },
};

export const remarkPlugins: Options["remarkPlugins"] = [remarkGfm, remarkHtmlAsText];

// react-markdown builds a processor per block, and rehype-highlight registers every language
// each time it is set up (milliseconds per block); this sets it up once for all of them.
const highlight = rehypeHighlight({ detect: false });
const rehypeSharedHighlight = () => highlight;

// Highlighting runs first so the sanitizer sees (and vets) the classes it adds.
export const rehypePlugins: Options["rehypePlugins"] = [
  rehypeSharedHighlight,
  [rehypeSanitize, schema],
];

/** Links and image sources keep only http(s) targets; anything else loses its address. */
export const urlTransform: Options["urlTransform"] = (url) => safeHref(url);
