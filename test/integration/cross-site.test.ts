import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startServerOn } from "./servers";

describe("cross-site requests and security headers", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startServerOn("pglite");
  });
  afterAll(() => server?.kill());

  it("refuses a change that is not JSON with 415, bodiless or not", async () => {
    const alice = await signedInClient(server.url);
    const id = randomUUID();
    const calls: Array<[string, string, string | undefined]> = [
      ["POST", "/api/conversations", JSON.stringify({ id })],
      ["PATCH", `/api/conversations/${id}`, JSON.stringify({ title: "x" })],
      ["DELETE", `/api/conversations/${id}`, undefined],
      ["POST", `/api/conversations/${id}/stop`, undefined],
      ["POST", "/api/register", JSON.stringify({ email: "x@example.test", password: "12345678" })],
    ];
    for (const [method, path, body] of calls) {
      for (const contentType of [undefined, "text/plain", "application/x-www-form-urlencoded"]) {
        const response = await alice.fetch(path, {
          method,
          headers: contentType ? { "content-type": contentType } : {},
          body,
        });
        expect(response.status, `${method} ${path} ${contentType}`).toBe(415);
        expect(await response.json()).toMatchObject({ error: { code: "unsupported_media_type" } });
      }
    }
    // Nothing was written: the conversation was never created.
    expect((await alice.fetch(`/api/conversations/${id}`)).status).toBe(404);
    const created = await alice.json("/api/conversations", "POST", { id });
    expect(created.status).toBe(201);
  });

  it("refuses a change sent by another site's page with 403, and lets our own through", async () => {
    const alice = await signedInClient(server.url);
    const id = randomUUID();
    const foreign: Array<Record<string, string>> = [
      { origin: "https://evil.example" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "null" },
    ];
    for (const headers of foreign) {
      const response = await alice.fetch("/api/conversations", {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ id }),
      });
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    expect((await alice.fetch(`/api/conversations/${id}`)).status).toBe(404);

    const own = await alice.fetch("/api/conversations", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: server.url,
        "sec-fetch-site": "same-origin",
      },
      body: JSON.stringify({ id }),
    });
    expect(own.status).toBe(201);
  });

  it("refuses Auth.js's own form posts from another site, and accepts them as forms", async () => {
    const alice = await signedInClient(server.url);
    const stranger = new ApiClient(server.url);
    const { csrfToken } = await (await stranger.fetch("/api/auth/csrf")).json();
    const form = new URLSearchParams({ csrfToken, email: alice.email, password: "whatever" });
    const crossSite = await stranger.fetch("/api/auth/callback/credentials", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: "https://evil.example",
      },
      body: form.toString(),
    });
    expect(crossSite.status).toBe(403);
    const signedIn = new ApiClient(server.url);
    await signedIn.signIn(alice.email, "correct horse battery");
    expect(signedIn.hasSession()).toBe(true);
  });

  it("sends the security headers on pages, API answers and static files", async () => {
    const expectSecurityHeaders = (response: Response, what: string) => {
      const policy = response.headers.get("content-security-policy") ?? "";
      for (const directive of [
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ]) {
        expect(policy, what).toContain(directive);
      }
      expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
      expect(response.headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
      return policy;
    };

    const page = await fetch(`${server.url}/sign-in`);
    const html = await page.text();
    const policy = expectSecurityHeaders(page, "page");
    const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeTruthy();
    // Every script of the page carries this response's nonce, and a second response a new one.
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    const again = (await fetch(`${server.url}/sign-in`)).headers.get("content-security-policy");
    expect(again).not.toContain(`'nonce-${nonce}'`);

    expectSecurityHeaders(await fetch(`${server.url}/api/health`), "API");
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const staticFile = await fetch(`${server.url}${asset}`);
    expect(staticFile.status).toBe(200);
    expectSecurityHeaders(staticFile, "static file");
  });
});
