import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // `server-only` throws outside a React Server build; tests run server modules directly.
  "server-only": path.resolve(import.meta.dirname, "test/support/empty.ts"),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        // The production JSX transform, so a test may load React's production build (the
        // Markdown render bound measures what the server runs).
        oxc: { jsx: { development: false } },
        test: {
          name: "unit",
          include: [
            "{lib,ai,app,components,client,server,auth,transfer}/**/*.test.{ts,tsx}",
            "test/architecture/*.test.ts",
            "scripts/serve/*.test.ts",
          ],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "db",
          include: ["db/**/*.test.ts", "chat/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          // Against the production build (`next build` first): scripts/test.mjs builds.
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
