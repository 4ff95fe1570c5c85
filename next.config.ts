import type { NextConfig } from "next";
import { parseServerEnv } from "./server/env";
import { API_CONTENT_SECURITY_POLICY, STATIC_SECURITY_HEADERS } from "./server/security-headers";

// Fail the build or the start with a clear message when the environment is wrong.
parseServerEnv(process.env);

const nextConfig: NextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2"],
  poweredByHeader: false,
  // API answers get fixed headers from here rather than from proxy.ts, which leaves /api/ out:
  // a proxy run costs every request its own pass through Next's middleware (a request and a
  // response object, a header copy) for a nonce no API answer uses (docs/performance.md). The
  // import route must be out of the proxy anyway (Next would buffer its body).
  async headers() {
    return [
      {
        source: "/api/:path*",
        headers: [
          { key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY },
          ...Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })),
        ],
      },
    ];
  },
};

export default nextConfig;
