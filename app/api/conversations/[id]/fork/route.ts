import { requireApiUser } from "@/auth";
import { forkConversation } from "@/db";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { enforceUserLimit } from "@/server/user-limits";
import { toConversationJson } from "../../json";
import { conversationParams, forkBody } from "../schema";

type Params = { id: string };

/**
 * "Branch into a new chat": the path from the root to `messageId` becomes the new conversation
 * `conversationId` (chosen by the client, so a retry finds the same one). 201 when made, 200 when
 * it already was. Counted with sends (RATE_LIMIT_SENDS_PER_MINUTE): one click of a person's, at
 * most a path's worth of rows written in one statement.
 */
export const POST = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const body = await readJson(request, forkBody);
  const db = await database();
  await enforceUserLimit(db, "send", user.id);
  const { conversation, created } = await forkConversation(db, {
    userId: user.id,
    sourceId: id,
    ...body,
  });
  return Response.json(toConversationJson(conversation), { status: created ? 201 : 200 });
});
