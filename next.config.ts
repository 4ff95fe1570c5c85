import type { NextConfig } from "next";
import { parseServerEnv } from "./server/env";

// Fail the build or the start with a clear message when the environment is wrong.
parseServerEnv(process.env);

const nextConfig: NextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
};

export default nextConfig;
