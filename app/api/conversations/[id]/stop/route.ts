import { toMessageJson } from "@/app/api/conversations/json";
import { requireApiUser } from "@/auth";
import { stopReply } from "@/chat";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute } from "@/server/http";
import { conversationParams } from "../schema";

export const POST = apiRoute<{ id: string }>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const stopped = await stopReply(await database(), { userId: user.id, conversationId: id });
  return Response.json({ stopped: stopped ? toMessageJson(stopped) : null });
});
