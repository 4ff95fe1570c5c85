import { requireApiUser } from "@/auth";
import { sendMessage } from "@/chat/flow";
import { getMessages } from "@/db";
import { database } from "@/db/instance";
import { apiRoute, readJson, readQuery, replyStreamResponse } from "@/lib/http";
import { parseInput } from "@/lib/validation";
import { toMessageJson } from "../../json";
import { conversationParams, messagesQuery, sendBody } from "../schema";

type Params = { id: string };

export const GET = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const query = readQuery(request, messagesQuery);
  const page = await getMessages(await database(), {
    conversationId: id,
    userId: user.id,
    ...query,
  });
  return Response.json({ items: page.items.map(toMessageJson), hasMore: page.hasMore });
});

export const POST = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const message = await readJson(request, sendBody);
  const stream = await sendMessage(await database(), {
    userId: user.id,
    conversationId: id,
    message,
  });
  return replyStreamResponse(stream);
});
