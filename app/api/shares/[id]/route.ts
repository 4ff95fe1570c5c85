import { requireApiUser } from "@/auth";
import { deleteShare } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute } from "@/server/http";
import { shareParams } from "../schema";

type Params = { id: string };

/** Revokes the share: its link answers 404 from now on. Someone else's share is not found. */
export const DELETE = apiRoute<Params>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(shareParams, params);
  const deleted = await deleteShare(await database(), { shareId: id, userId: user.id });
  if (!deleted) throw new NotFoundError("Share");
  return new Response(null, { status: 204 });
});
