import { requireApiUser } from "@/auth";
import { switchVersion } from "@/db";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { conversationParams, switchBody } from "../schema";

type Params = { id: string };

/**
 * Shows another version: the branch through `messageId` becomes the conversation's current one,
 * stored on the server so every device opens it. Answers its leaf; `GET …/messages` then pages it.
 */
export const POST = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { messageId } = await readJson(request, switchBody);
  const { leafId } = await switchVersion(await database(), {
    userId: user.id,
    conversationId: id,
    messageId,
  });
  return Response.json({ leafId });
});
