import { registerAccount } from "@/auth/accounts";
import { database } from "@/server/database";
import { apiRoute, readJson } from "@/server/http";
import { clientAddress } from "@/server/remote-address";
import { registerBody } from "./schema";

export const POST = apiRoute(async (request) => {
  const body = await readJson(request, registerBody);
  const user = await registerAccount(await database(), {
    ...body,
    address: clientAddress(request.headers),
  });
  return Response.json({ user: { id: user.id, email: user.email } }, { status: 201 });
});
