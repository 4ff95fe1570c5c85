import { v5 } from "uuid";

// Fixed forever: every imported id is derived from it, so changing it would make a second
// import of the same file store everything again.
const CHATKEEP_IMPORT_NAMESPACE = "6f2a4d1e-9b57-4c83-a0e6-3d8b7f51c942";

/**
 * The name a message id is derived from. Ids without a `:` keep the name every earlier release
 * used (`chatgpt:message:conv:node`), so files imported before are still recognised. With a `:`
 * in either, that name is ambiguous (`a` + `b:c` and `a:b` + `c` give the same one), so the
 * conversation id is length-prefixed under another tag, which no name of the first form has as
 * its second segment.
 */
function messageName(source: string, conversationId: string, messageId: string): string {
  if (!conversationId.includes(":") && !messageId.includes(":")) {
    return `${source}:message:${conversationId}:${messageId}`;
  }
  return `${source}:message-length-prefixed:${conversationId.length}:${conversationId}:${messageId}`;
}

/**
 * The ids an import stores, derived from the importing user and the source's own ids with UUID
 * v5: the same file imported twice by the same person names the same rows (so the second time
 * stores nothing), while two people importing one file get ids of their own.
 */
export function importIds(userId: string) {
  const namespace = v5(userId.toLowerCase(), CHATKEEP_IMPORT_NAMESPACE);
  return {
    conversation: (source: string, sourceId: string) =>
      v5(`${source}:conversation:${sourceId}`, namespace),
    message: (source: string, conversationId: string, messageId: string) =>
      v5(messageName(source, conversationId, messageId), namespace),
  };
}

export type ImportIds = ReturnType<typeof importIds>;
