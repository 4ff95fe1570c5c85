import { isDatabaseReady } from "@/server/database";

export const dynamic = "force-dynamic";

/** Readiness: 200 once the database answers, 503 otherwise. */
export async function GET() {
  if (await isDatabaseReady()) return Response.json({ ok: true });
  return Response.json(
    { error: { code: "unavailable", message: "Database unavailable" } },
    { status: 503, headers: { "Retry-After": "5" } },
  );
}
