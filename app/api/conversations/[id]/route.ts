import { requireApiUser } from "@/auth";
import { deleteConversation, getConversation, renameConversation } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { toConversationJson } from "../json";
import { conversationParams, renameBody } from "./schema";

type Params = { id: string };

export const GET = apiRoute<Params>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const conversation = await getConversation(await database(), {
    conversationId: id,
    userId: user.id,
  });
  if (!conversation) throw new NotFoundError();
  return Response.json(toConversationJson(conversation));
});

export const PATCH = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { title } = await readJson(request, renameBody);
  const renamed = await renameConversation(await database(), {
    conversationId: id,
    userId: user.id,
    title,
  });
  if (!renamed) throw new NotFoundError();
  return Response.json(toConversationJson(renamed));
});

export const DELETE = apiRoute<Params>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const deleted = await deleteConversation(await database(), {
    conversationId: id,
    userId: user.id,
  });
  if (!deleted) throw new NotFoundError();
  return new Response(null, { status: 204 });
});
