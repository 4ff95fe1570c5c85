import { toShareJson } from "@/app/api/shares/json";
import { createShareBody } from "@/app/api/shares/schema";
import { requireApiUser } from "@/auth";
import { createShare } from "@/db";
import { NotFoundError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { hashShareToken, newShareToken, sealShareToken } from "@/server/share-token";
import { enforceUserLimit } from "@/server/user-limits";
import { conversationParams } from "../schema";

type Params = { id: string };

/** Shares the conversation as it is now: a link to a read-only copy of it up to this point. */
export const POST = apiRoute<Params>(async (request, params) => {
  const user = await requireApiUser();
  const { id: conversationId } = parseInput(conversationParams, params);
  const body = await readJson(request, createShareBody);
  const db = await database();
  // Counted before the conversation is looked at: a refused or retried share uses it up too.
  await enforceUserLimit(db, "share", user.id);
  const token = newShareToken();
  const share = await createShare(db, {
    id: body?.id ?? crypto.randomUUID(),
    userId: user.id,
    conversationId,
    tokenHash: hashShareToken(token),
    sealedToken: sealShareToken(token),
  });
  if (!share) throw new NotFoundError();
  return Response.json(toShareJson(share), { status: 201 });
});
