import { requireApiUser } from "@/auth";
import { sendMessage } from "@/chat/flow";
import { getMessages, getMessagesAfter, getMessagesAround } from "@/db";
import { database } from "@/db/instance";
import { apiRoute, readJson, readQuery, replyStreamResponse } from "@/lib/http";
import { parseInput } from "@/lib/validation";
import { toMessageJson } from "../../json";
import { conversationParams, messagesQuery, sendBody } from "../schema";

type Params = { id: string };

export const GET = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { before, after, around, limit } = readQuery(request, messagesQuery);
  const db = await database();
  const owned = { conversationId: id, userId: user.id, limit };
  if (around !== undefined) {
    const page = await getMessagesAround(db, { ...owned, around });
    return Response.json({
      items: page.items.map(toMessageJson),
      hasMore: page.hasMore,
      hasNewer: page.hasNewer,
    });
  }
  if (after !== undefined) {
    const page = await getMessagesAfter(db, { ...owned, after });
    return Response.json({ items: page.items.map(toMessageJson), hasNewer: page.hasNewer });
  }
  const page = await getMessages(db, { ...owned, before });
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
