export type { Align, Block } from "./blocks";
export { parseBlocks as parseMarkdown } from "./blocks";
export type { Inline } from "./inline";
export { parseInline } from "./inline";
export { safeHref } from "./safe-href";
