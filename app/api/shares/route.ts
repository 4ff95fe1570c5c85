import { requireApiUser } from "@/auth";
import { listShares } from "@/db";
import { database } from "@/server/database";
import { apiRoute, readQuery } from "@/server/http";
import { toShareJson } from "./json";
import { listSharesQuery } from "./schema";

export const GET = apiRoute(async (request) => {
  const user = await requireApiUser();
  const query = readQuery(request, listSharesQuery);
  const page = await listShares(await database(), { userId: user.id, ...query });
  return Response.json({ items: page.items.map(toShareJson), nextCursor: page.nextCursor });
});
