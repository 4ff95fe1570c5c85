import { requireApiUser } from "@/auth";
import { type SearchHit, searchMessages } from "@/db";
import { database } from "@/server/database";
import { serverEnv } from "@/server/env";
import { apiRoute, readQuery } from "@/server/http";
import { enforceUserLimit } from "@/server/user-limits";
import { searchQuery } from "./schema";

export const GET = apiRoute(async (request) => {
  const user = await requireApiUser();
  const { q, cursor, limit } = readQuery(request, searchQuery);
  const db = await database();
  await enforceUserLimit(db, "search", user.id);
  const page = await searchMessages(db, {
    userId: user.id,
    query: q,
    cursor,
    limit,
    language: serverEnv().SEARCH_LANGUAGE,
  });
  return Response.json({ items: page.items.map(toSearchHitJson), nextCursor: page.nextCursor });
});

function toSearchHitJson(hit: SearchHit) {
  return {
    conversation: hit.conversation,
    message: hit.message,
    createdAt: hit.createdAt.toISOString(),
    snippet: hit.snippet,
  };
}
