import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient, signedInClient } from "@/test/support/api-client";
import type { AppServer } from "@/test/support/app-server";
import { startEarlyInWindow } from "@/test/support/rate-windows";
import { startServerOn } from "./servers";

describe("sign-up, sign-in and sessions", () => {
  let server: AppServer;
  beforeAll(async () => {
    server = await startServerOn("pglite", {
      env: { RATE_LIMIT_LOGINS_PER_MINUTE: "5", RATE_LIMIT_SENDS_PER_MINUTE: "3" },
    });
  });
  afterAll(() => server?.kill());

  // Refused registrations (bad fields, taken emails) are rows of bad-input.test.ts.
  it("registers an account", async () => {
    const client = new ApiClient(server.url);
    const email = `new-${randomUUID()}@example.test`;
    const created = await client.register(email, "long enough");
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ user: { email } });
  });

  it("signs in through Auth.js with a plain HTTP client, and out again", async () => {
    const client = await signedInClient(server.url);
    const session = await (await client.fetch("/api/auth/session")).json();
    expect(session.user.email).toBe(client.email);
    expect(session.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.fetch("/api/conversations")).status).toBe(200);

    const csrf = await (await client.fetch("/api/auth/csrf")).json();
    await client.fetch("/api/auth/signout", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken: csrf.csrfToken }).toString(),
    });
    expect(client.hasSession()).toBe(false);
    expect((await client.fetch("/api/conversations")).status).toBe(401);
  });

  it("gives no session for a wrong password", async () => {
    const client = await signedInClient(server.url);
    const stranger = new ApiClient(server.url);
    await stranger.signIn(client.email, "wrong password");
    expect(stranger.hasSession()).toBe(false);
  });

  it("rate-limits password guessing with 429", async () => {
    // Sign-up, sign-in and nine guesses, all in one minute window.
    await startEarlyInWindow(60_000, 20_000);
    const client = await signedInClient(server.url);
    const guesser = new ApiClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await guesser.signIn(client.email, `guess-${i}`)).status);
    // The limit is 5 a minute per email, and signing up used one.
    expect(statuses.slice(0, 4).every((status) => status !== 429)).toBe(true);
    expect(statuses.slice(4)).toEqual([429, 429, 429]);
    const limited = await guesser.signIn(client.email, "another");
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    // Wrong and refused passwords are answers, not faults: no stack trace per guess in the log.
    expect(server.output()).not.toContain("CredentialsSignin");
  });

  it("rate-limits sending with 429 and Retry-After", async () => {
    const client = await signedInClient(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await client.send(randomUUID(), `message ${i}`);
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(await response.json()).toMatchObject({ error: { code: "rate_limited" } });
      } else {
        await response.body?.cancel();
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  // The API's 401s, for every endpoint and every kind of missing session, are rows of
  // bad-input.test.ts.
  it("sends pages without a session to sign-in", async () => {
    const anonymous = new ApiClient(server.url);
    const id = randomUUID();
    for (const path of ["/", `/c/${id}`]) {
      const page = await anonymous.fetch(path);
      expect([302, 303, 307], path).toContain(page.status);
      expect(page.headers.get("location"), path).toContain("/sign-in");
    }
    expect((await anonymous.fetch("/sign-in")).status).toBe(200);
    expect((await anonymous.fetch("/sign-up")).status).toBe(200);
  });

  it("offers GitHub sign-in only when its env vars are set", async () => {
    const providers = async (url: string) =>
      Object.keys(await (await fetch(`${url}/api/auth/providers`)).json());
    expect(await providers(server.url)).toEqual(["credentials"]);
    const withGithub = await startServerOn("pglite", {
      env: { AUTH_GITHUB_ID: "test-client-id", AUTH_GITHUB_SECRET: "test-client-secret" },
    });
    try {
      expect((await providers(withGithub.url)).sort()).toEqual(["credentials", "github"]);
    } finally {
      await withGithub.kill();
    }
  });
});

describe("a server database without AUTH_SECRET", () => {
  // Instances with their own generated keys would reject each other's sessions. The check runs
  // as the server boots: it logs why and exits, rather than failing later on the first sign-in.
  it("stops the start: the process exits, saying why", async () => {
    // startAppServer rejects when the process exits before answering, with what it printed.
    await expect(
      startServerOn("postgres", { env: { AUTH_SECRET: "" }, waitFor: "listening" }),
    ).rejects.toThrow(/exited early[\s\S]*AUTH_SECRET is required when DATABASE_URL is set/);
  });
});
