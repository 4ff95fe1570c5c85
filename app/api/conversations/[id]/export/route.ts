import { requireApiUser } from "@/auth";
import { getConversation, readConversation, readCurrentBranch } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readQuery } from "@/server/http";
import {
  attachmentHeaders,
  byteStream,
  chatkeepDocument,
  downloadName,
  markdownDocument,
} from "@/transfer/export";
import { conversationParams, exportQuery } from "../schema";

type Params = { id: string };

const CONTENT_TYPES = {
  md: "text/markdown; charset=utf-8",
  json: "application/json; charset=utf-8",
} as const;

/**
 * One conversation as a download: Markdown to read (the branch shown), or JSON in the export
 * format to import (every branch).
 */
export const GET = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { format } = readQuery(request, exportQuery);
  const db = await database();
  // Checked before the download starts, so a foreign id is a 404, not a broken download.
  const conversation = await getConversation(db, { conversationId: id, userId: user.id });
  if (!conversation) throw new NotFoundError();
  const now = new Date();
  const owned = { conversationId: id, userId: user.id };
  const document =
    format === "md"
      ? markdownDocument(readCurrentBranch(db, owned))
      : chatkeepDocument(readConversation(db, owned), now);
  return new Response(byteStream(document), {
    headers: attachmentHeaders(
      downloadName(conversation.title, format, now),
      CONTENT_TYPES[format],
    ),
  });
});
