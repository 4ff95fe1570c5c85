import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, signedInClient } from "@/test/support/api-client";
import { type AppServer, startAppServer } from "@/test/support/app-server";
import { freePort } from "@/test/support/postgres";

describe("a server whose database is unreachable", () => {
  let healthy: AppServer;
  let cutOff: AppServer;
  let client: ApiClient;
  beforeAll(async () => {
    healthy = await startAppServer();
    // Same signing key, but a Postgres URL where nothing listens.
    cutOff = await startAppServer({
      env: { DATABASE_URL: `postgres://nobody:nothing@127.0.0.1:${await freePort()}/none` },
      waitFor: "listening",
    });
    client = (await signedInClient(healthy.url)).withBaseUrl(cutOff.url);
  });
  afterAll(async () => {
    await healthy?.kill();
    await cutOff?.kill();
  });

  it("answers 503 with Retry-After, not a sign-out or a crash", async () => {
    const health = await client.fetch("/api/health");
    expect(health.status).toBe(503);
    for (const path of [
      "/api/conversations",
      "/api/conversations/00000000-0000-4000-8000-000000000000/messages",
    ]) {
      const response = await client.fetch(path);
      expect(response.status, path).toBe(503);
      expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(await response.json()).toMatchObject({ error: { code: "unavailable" } });
    }
  });
});
