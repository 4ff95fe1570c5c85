import { requireApiUser } from "@/auth";
import { importConversation } from "@/db";
import { TooLargeError, ValidationError } from "@/lib/errors";
import { database } from "@/server/database";
import { serverEnv } from "@/server/env";
import { apiRoute } from "@/server/http";
import { formatBytes, runImport } from "@/transfer/import";
import { withImportSlot } from "@/transfer/import-slot";

/**
 * Imports a Chatkeep export or ChatGPT's conversations.json, sent as the request body (JSON),
 * read and stored as it arrives. Answers the summary; a problem with the file as a whole
 * answers its error with the summary of what was stored before it. One import per user at a
 * time, and RATE_LIMIT_IMPORTS_PER_HOUR (transfer/import-slot.ts).
 */
export const POST = apiRoute(async (request) => {
  const user = await requireApiUser();
  const env = serverEnv();
  const limits = {
    maxBytes: env.IMPORT_MAX_BYTES,
    maxConversations: env.IMPORT_MAX_CONVERSATIONS,
    maxConversationBytes: env.IMPORT_MAX_CONVERSATION_BYTES,
    maxConversationMessages: env.IMPORT_MAX_CONVERSATION_MESSAGES,
  };
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limits.maxBytes) {
    throw new TooLargeError(`The file is larger than the ${formatBytes(limits.maxBytes)} limit`);
  }
  const body = request.body;
  if (!body) throw new ValidationError("The file is empty");
  const db = await database();
  const summary = await withImportSlot(db, user.id, () =>
    runImport(body as unknown as AsyncIterable<Uint8Array>, {
      userId: user.id,
      limits,
      store: (conversation) => importConversation(db, { userId: user.id, conversation }),
    }),
  );
  return Response.json(summary);
});
