import { requireApiUser } from "@/auth";
import { modelFor } from "@/chat";
import { createConversation, listConversations } from "@/db";
import { database } from "@/server/database";
import { apiRoute, readJson, readQuery } from "@/server/http";
import { toConversationJson } from "./json";
import { createBody, listQuery } from "./schema";

export const GET = apiRoute(async (request) => {
  const user = await requireApiUser();
  const query = readQuery(request, listQuery);
  const page = await listConversations(await database(), { userId: user.id, ...query });
  return Response.json({ items: page.items.map(toConversationJson), nextCursor: page.nextCursor });
});

export const POST = apiRoute(async (request) => {
  const user = await requireApiUser();
  const body = await readJson(request, createBody);
  if (body.model) await modelFor(body.model);
  const conversation = await createConversation(await database(), { userId: user.id, ...body });
  return Response.json(toConversationJson(conversation), { status: 201 });
});
