import { toBranchMessageJson } from "@/app/api/conversations/json";
import { requireApiUser } from "@/auth";
import { sendMessage } from "@/chat";
import { getMessages, getMessagesAfter, getMessagesAround } from "@/db";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson, readQuery } from "@/server/http";
import { servedReplyResponse } from "../reply-route";
import { conversationParams, messagesQuery, sendBody } from "../schema";

type Params = { id: string };

// Route segment config (a literal: Next.js reads it from the source): the longest this request
// may run on a host that enforces a limit, the generation `after()` keeps alive past the response
// included. 300 s is the most Vercel's Hobby plan allows (Pro and Enterprise go to 800 s). A
// reply cut off there is interrupted, not lost, and can be continued (docs/operations.md).
export const maxDuration = 300;

export const GET = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { before, after, around, limit } = readQuery(request, messagesQuery);
  const db = await database();
  const owned = { conversationId: id, userId: user.id, limit };
  if (around !== undefined) {
    const page = await getMessagesAround(db, { ...owned, around });
    return Response.json({
      items: page.items.map(toBranchMessageJson),
      hasMore: page.hasMore,
      hasNewer: page.hasNewer,
    });
  }
  if (after !== undefined) {
    const page = await getMessagesAfter(db, { ...owned, after });
    return Response.json({ items: page.items.map(toBranchMessageJson), hasNewer: page.hasNewer });
  }
  const page = await getMessages(db, { ...owned, before });
  return Response.json({ items: page.items.map(toBranchMessageJson), hasMore: page.hasMore });
});

export const POST = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { parentId, model, ...message } = await readJson(request, sendBody);
  const reply = await sendMessage(await database(), {
    userId: user.id,
    conversationId: id,
    message,
    parentId,
    model,
  });
  return servedReplyResponse(reply);
});
