import { requireApiUser } from "@/auth";
import { resume } from "@/chat/flow";
import { database } from "@/db/instance";
import { apiRoute, replyStreamResponse } from "@/lib/http";
import { parseInput } from "@/lib/validation";
import { conversationParams } from "../schema";

export const GET = apiRoute<{ id: string }>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const stream = await resume(await database(), { userId: user.id, conversationId: id });
  if (!stream) return new Response(null, { status: 204 });
  return replyStreamResponse(stream);
});
