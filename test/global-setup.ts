import type { TestProject } from "vitest/node";
import { startNeonProxy } from "./support/neon-proxy";
import { startTestPostgres } from "./support/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    neonProxy: string;
  }
}

// One Postgres server (and one Neon-style WebSocket proxy in front of it) for the whole run;
// each suite makes its own database on it.
export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres();
  const proxy = await startNeonProxy();
  project.provide("postgresUrl", postgres.url);
  project.provide("neonProxy", proxy.address);
  return async () => {
    await proxy.close();
    await postgres.stop();
  };
}
