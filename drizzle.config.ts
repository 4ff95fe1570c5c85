import { defineConfig } from "drizzle-kit";

// Migrations are generated from db/schema.ts and checked in; the app applies them itself
// (embedded database) or through `npm run db:migrate` (a server).
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
  strict: true,
});
