import { listModels } from "@/ai/model-catalog";
import { requireApiUser } from "@/auth";
import { apiRoute } from "@/server/http";

export const GET = apiRoute(async () => {
  await requireApiUser();
  const catalog = await listModels();
  return Response.json({
    models: catalog.models,
    default: catalog.default,
    unavailableEndpoints: catalog.unavailableEndpoints,
  });
});
