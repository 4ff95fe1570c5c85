import { toBranchMessageJson } from "@/app/api/conversations/json";
import { requireApiUser } from "@/auth";
import { findVersion, switchVersionWithPage } from "@/db";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { conversationParams, switchBody } from "../schema";

type Params = { id: string };

/**
 * Shows another version: the branch through `messageId` (or through version `versionIndex` of
 * `siblingOf`) becomes the conversation's current one,
 * stored on the server so every device opens it. Answers its leaf and its newest page (as
 * `GET …/messages` would), so the browser redraws without a second request.
 */
export const POST = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const body = await readJson(request, switchBody);
  const db = await database();
  const owned = { userId: user.id, conversationId: id };
  const messageId =
    "messageId" in body ? body.messageId : await findVersion(db, { ...owned, ...body });
  const { leafId, items, hasMore } = await switchVersionWithPage(db, { ...owned, messageId });
  return Response.json({ leafId, items: items.map(toBranchMessageJson), hasMore });
});
