// Relative: next.config.ts loads server/env.ts, which reads the defaults below, without path aliases.
import { MAX_STORED_MESSAGE_CHARS } from "./validation";

/**
 * The longest content an imported message may have, in UTF-16 code units (what the stored
 * content's schema counts): a ChatGPT message past it is cut with a note. The largest content
 * the app itself stores (a reply may be longer than what a person sends), so that whatever is
 * exported imports back.
 */
export const IMPORTED_MESSAGE_MAX_CHARS = MAX_STORED_MESSAGE_CHARS;

// One conversation is built in memory whole (ChatGPT's tree cannot be walked before its last
// node is read, and a conversation is stored in one transaction), so its size is what bounds an
// import's memory. Only the fields the importer reads are built (transfer/kept-fields.ts);
// what they take is bounded three ways, with these defaults:
//  - bytes in the file (IMPORT_MAX_CONVERSATION_BYTES, 16 MB): bounds the text kept (a string
//    costs at most its UTF-8 bytes in the heap, plus one copy while the tokenizer joins it) and
//    the time spent on one conversation;
//  - messages (IMPORT_MAX_CONVERSATION_MESSAGES, 10,000; ChatGPT: nodes of its tree);
//  - tokens kept: KEPT_TOKENS_PER_MESSAGE per message allowed (500,000 by default). A real
//    message keeps about 20 (node, author, role, content, parts, metadata…); the bound is for
//    files built of tiny values (`"parts":[{},{},…]`), where each 3 bytes would cost about 70
//    bytes of heap: 500,000 of them are about 35 MB.
// Worst case, about 16 MB × 2 of text plus 35 MB of structure: about 70 MB of heap, well under
// the 150 MB of RSS growth the import test allows, on a server that also streams replies.
/** Most messages one imported conversation may hold, whatever the setting (sequences are 32-bit). */
export const IMPORT_MAX_MESSAGES = 1_000_000;

export const DEFAULT_MAX_CONVERSATION_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_CONVERSATION_MESSAGES = 10_000;
export const KEPT_TOKENS_PER_MESSAGE = 50;

export function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return mb >= 1 ? `${Number(mb.toFixed(1))} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
