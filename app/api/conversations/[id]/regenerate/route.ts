import { requireApiUser } from "@/auth";
import { restart } from "@/chat/flow";
import { database } from "@/db/instance";
import { apiRoute, readJson, replyStreamResponse } from "@/lib/http";
import { parseInput } from "@/lib/validation";
import { conversationParams, restartBody } from "../schema";

export const POST = apiRoute<{ id: string }>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { messageId, mode } = await readJson(request, restartBody);
  const stream = await restart(await database(), {
    userId: user.id,
    conversationId: id,
    replyId: messageId,
    mode,
  });
  return replyStreamResponse(stream);
});
