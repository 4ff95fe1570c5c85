import { MAX_MESSAGE_CHARS } from "@/lib/validation";

/**
 * The longest content an imported message may have, in UTF-16 code units (what the stored
 * content's schema counts): a ChatGPT message past it is cut with a note. The one place the
 * importer takes it from; it is meant to follow the largest content the app itself stores
 * (a reply may be longer than what a person sends), so that whatever is exported imports back.
 */
export const IMPORTED_MESSAGE_MAX_CHARS = MAX_MESSAGE_CHARS;
