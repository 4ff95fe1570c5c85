import { requireApiUser } from "@/auth";
import { changeConversationModel } from "@/chat";
import { deleteConversation, getConversation, renameConversation } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { toConversationJson } from "../json";
import { conversationParams, updateBody } from "./schema";

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
  const { title, model } = await readJson(request, updateBody);
  const db = await database();
  const owned = { conversationId: id, userId: user.id };
  // The model first: a model not offered refuses the whole request before the title is stored.
  let updated = model ? await changeConversationModel(db, { ...owned, model }) : null;
  if (title !== undefined) updated = await renameConversation(db, { ...owned, title });
  if (!updated) throw new NotFoundError();
  return Response.json(toConversationJson(updated));
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
