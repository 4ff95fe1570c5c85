import { database } from "@/db/instance";
import { registerAccount } from "@/lib/accounts";
import { apiRoute, readJson } from "@/lib/http";
import { clientAddress } from "@/lib/remote-address";
import { registerBody } from "./schema";

export const POST = apiRoute(async (request) => {
  const body = await readJson(request, registerBody);
  const user = await registerAccount(await database(), {
    ...body,
    address: clientAddress(request.headers),
  });
  return Response.json({ user: { id: user.id, email: user.email } }, { status: 201 });
});
