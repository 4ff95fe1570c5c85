import { requireApiUser } from "@/auth";
import { stop } from "@/chat/flow";
import { database } from "@/db/instance";
import { apiRoute } from "@/lib/http";
import { parseInput } from "@/lib/validation";
import { toMessageJson } from "../../json";
import { conversationParams } from "../schema";

export const POST = apiRoute<{ id: string }>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const stopped = await stop(await database(), { userId: user.id, conversationId: id });
  return Response.json({ stopped: stopped ? toMessageJson(stopped) : null });
});
