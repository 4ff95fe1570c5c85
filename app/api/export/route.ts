import { requireApiUser } from "@/auth";
import { readAccount } from "@/db";
import { database } from "@/server/database";
import { apiRoute } from "@/server/http";
import { enforceUserLimit } from "@/server/user-limits";
import { attachmentHeaders, byteStream, chatkeepDocument } from "@/transfer/export";

/**
 * Everything the account holds, streamed in the export format as it is read, page by page.
 * Reading a whole account is the most a single request reads: RATE_LIMIT_EXPORTS_PER_HOUR.
 */
export const GET = apiRoute(async () => {
  const user = await requireApiUser();
  const db = await database();
  await enforceUserLimit(db, "export", user.id);
  const now = new Date();
  const document = chatkeepDocument(readAccount(db, { userId: user.id }), now);
  return new Response(byteStream(document), {
    headers: attachmentHeaders(
      `chatkeep-export-${now.toISOString().slice(0, 10)}.json`,
      "application/json; charset=utf-8",
    ),
  });
});
