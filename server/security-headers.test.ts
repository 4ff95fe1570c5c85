import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce } from "./security-headers";

const directives = (policy: string) =>
  Object.fromEntries(
    policy.split(";").map((directive) => {
      const [name = "", ...values] = directive.trim().split(/\s+/);
      return [name, values];
    }),
  );

describe("contentSecurityPolicy", () => {
  it("runs only this response's scripts, and nothing framed, plugged in or posted elsewhere", () => {
    const policy = directives(
      contentSecurityPolicy({ nonce: "abc123", githubSignIn: false, development: false }),
    );
    expect(policy["script-src"]).toEqual(["'self'", "'nonce-abc123'", "'strict-dynamic'"]);
    expect(policy["frame-ancestors"]).toEqual(["'none'"]);
    expect(policy["object-src"]).toEqual(["'none'"]);
    expect(policy["base-uri"]).toEqual(["'self'"]);
    expect(policy["form-action"]).toEqual(["'self'"]);
    expect(policy["connect-src"]).toEqual(["'self'"]);
    expect(policy["img-src"]).toEqual(["'self'", "data:"]);
  });

  it("lets forms reach GitHub only when it signs people in, and eval only in development", () => {
    const github = directives(
      contentSecurityPolicy({ nonce: "n", githubSignIn: true, development: false }),
    );
    expect(github["form-action"]).toEqual(["'self'", "https://github.com"]);
    expect(github["script-src"]).not.toContain("'unsafe-eval'");
    const development = directives(
      contentSecurityPolicy({ nonce: "n", githubSignIn: false, development: true }),
    );
    expect(development["script-src"]).toContain("'unsafe-eval'");
  });
});

describe("newNonce", () => {
  it("is fresh every time and fits a CSP nonce source", () => {
    const nonces = new Set(Array.from({ length: 50 }, newNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
