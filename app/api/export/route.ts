import { requireApiUser } from "@/auth";
import { readAccount } from "@/db";
import { database } from "@/db/instance";
import { apiRoute } from "@/lib/http";
import { attachmentHeaders, byteStream, chatkeepDocument } from "@/lib/transfer/export";

/** Everything the account holds, streamed in the export format as it is read, page by page. */
export const GET = apiRoute(async () => {
  const user = await requireApiUser();
  const db = await database();
  const now = new Date();
  const document = chatkeepDocument(readAccount(db, { userId: user.id }), now);
  return new Response(byteStream(document), {
    headers: attachmentHeaders(
      `chatkeep-export-${now.toISOString().slice(0, 10)}.json`,
      "application/json; charset=utf-8",
    ),
  });
});
