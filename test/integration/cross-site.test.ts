import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, readReply, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { submitPageForm } from "@/test/support/page-form";
import { startServerOn } from "./servers";

// What a browser sends with a request that another site's page made.
const FOREIGN: Array<Record<string, string>> = [
  { origin: "https://evil.example" },
  { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
  { "sec-fetch-site": "cross-site" },
  { "sec-fetch-site": "same-site" },
  { origin: "null" },
];

/** Every server action in the build (Next's manifest of them): its id and its name. */
function serverActions(): Array<{ id: string; name: string }> {
  const manifest: { node: Record<string, { filename: string; exportedName: string }> } = JSON.parse(
    readFileSync(
      path.resolve(import.meta.dirname, "../../.next/server/server-reference-manifest.json"),
      "utf8",
    ),
  );
  return Object.entries(manifest.node).map(([id, action]) => ({
    id,
    name: `${action.filename} ${action.exportedName}`,
  }));
}

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

  it("refuses every server action called from another site with 403, before it runs", async () => {
    const alice = await signedInClient(server.url);
    const actions = serverActions();
    // Sign-in (password and GitHub), sign-up, sign-out, "Continue in my account".
    expect(actions.length).toBeGreaterThanOrEqual(5);
    for (const { id, name } of actions) {
      for (const headers of FOREIGN) {
        // As React calls an action: its id in Next-Action, the arguments as the body.
        const response = await alice.fetch("/", {
          method: "POST",
          headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8", ...headers },
          body: "[]",
        });
        const what = `${name} ${JSON.stringify(headers)}`;
        expect(response.status, what).toBe(403);
        expect(await response.json(), what).toMatchObject({ error: { code: "forbidden" } });
      }
    }
    // Signing out from another site did not sign Alice out.
    expect((await alice.fetch("/api/conversations")).status).toBe(200);
  });

  it("refuses a cross-site Continue in my account (403, nothing copied) and accepts our own", async () => {
    const owner = await signedInClient(server.url);
    const conversationId = randomUUID();
    await readReply(await owner.send(conversationId, "A conversation worth continuing"));
    const shared = await owner.json(`/api/conversations/${conversationId}/shares`, "POST", {});
    const { path: sharePath } = await shared.json();
    const visitor = await signedInClient(server.url);
    const continueFrom = (headers: Record<string, string>) =>
      submitPageForm(server.url, sharePath, {}, headers, visitor.cookieHeader());

    for (const headers of FOREIGN) {
      const response = await continueFrom(headers);
      expect(response.status, JSON.stringify(headers)).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
    }
    const before = await (await visitor.fetch("/api/conversations")).json();
    expect(before.items).toEqual([]);

    const own = await continueFrom({ "sec-fetch-site": "same-origin" });
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toMatch(/\/c\/[0-9a-f-]{36}$/);
    const after = await (await visitor.fetch("/api/conversations")).json();
    expect(after.items).toHaveLength(1);
  });

  it("refuses the sign-up and sign-in forms posted from another site", async () => {
    const email = `cross-${randomUUID()}@example.test`;
    for (const headers of FOREIGN) {
      const signUp = await submitPageForm(
        server.url,
        "/sign-up",
        { email, password: "long enough" },
        headers,
      );
      expect(signUp.status, JSON.stringify(headers)).toBe(403);
    }
    // No account was made: the API registers the address now.
    const stranger = new ApiClient(server.url);
    expect((await stranger.register(email, "long enough")).status).toBe(201);
    for (const headers of FOREIGN) {
      const signIn = await submitPageForm(
        server.url,
        "/sign-in",
        { email, password: "long enough" },
        headers,
      );
      expect(signIn.status, JSON.stringify(headers)).toBe(403);
      expect(signIn.headers.getSetCookie().join(";")).not.toContain("session-token");
    }
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

    // An API answer is never run as a page: its policy allows nothing and has no nonce.
    const apiPolicy = expectSecurityHeaders(await fetch(`${server.url}/api/health`), "API");
    expect(apiPolicy).toContain("default-src 'none'");
    expect(apiPolicy).not.toContain("nonce-");
    expectSecurityHeaders(await fetch(`${server.url}/api/no-such-route`), "API 404");
    const asset = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeTruthy();
    const staticFile = await fetch(`${server.url}${asset}`);
    expect(staticFile.status).toBe(200);
    expectSecurityHeaders(staticFile, "static file");
  });
});
