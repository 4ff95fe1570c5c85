import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import type { AppServer } from "@/test/support/app-server";
import { submitPageForm } from "@/test/support/page-form";
import { startEarlyInWindow } from "@/test/support/rate-windows";
import { startServerOn } from "./servers";

const REGISTRATIONS_PER_HOUR_PER_ADDRESS = 20;

async function registerFrom(server: AppServer, forwardedFor: string): Promise<number> {
  const response = await fetch(`${server.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
    body: JSON.stringify({ email: `reg-${randomUUID()}@example.test`, password: "long enough" }),
  });
  return response.status;
}

describe("per-address limits and forwarding headers", () => {
  // Each test counts registrations in the hourly window: none may span two.
  beforeEach(() => startEarlyInWindow(3_600_000, 60_000));

  it("keeps a client in its bucket however it rotates X-Forwarded-For (no trusted proxy)", async () => {
    const server = await startServerOn("pglite");
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= REGISTRATIONS_PER_HOUR_PER_ADDRESS + 2; i++) {
        statuses.push(await registerFrom(server, `198.51.100.${i}`));
      }
      expect(statuses.slice(0, REGISTRATIONS_PER_HOUR_PER_ADDRESS)).toEqual(
        Array(REGISTRATIONS_PER_HOUR_PER_ADDRESS).fill(201),
      );
      expect(statuses.slice(REGISTRATIONS_PER_HOUR_PER_ADDRESS)).toEqual([429, 429, 429]);
    } finally {
      await server.kill();
    }
  });

  it("behind one trusted proxy, counts the address the proxy saw, not what the client wrote", async () => {
    const server = await startServerOn("pglite", { env: { TRUSTED_PROXY_HOPS: "1" } });
    try {
      // The proxy appends the address it saw; whatever the client wrote stays on the left.
      for (let i = 0; i < REGISTRATIONS_PER_HOUR_PER_ADDRESS; i++) {
        expect(await registerFrom(server, `10.9.9.${i}, 203.0.113.7`)).toBe(201);
      }
      expect(await registerFrom(server, "10.9.9.99, 203.0.113.7")).toBe(429);
      expect(await registerFrom(server, "203.0.113.8")).toBe(201);
    } finally {
      await server.kill();
    }
  });

  it("counts the sign-up form in the same bucket as the API, spoofed headers or not", async () => {
    const server = await startServerOn("pglite");
    const signUpByForm = (forwardedFor: string) =>
      submitPageForm(
        server.url,
        "/sign-up",
        { email: `form-${randomUUID()}@example.test`, password: "long enough" },
        { "x-forwarded-for": forwardedFor },
      );
    try {
      const half = REGISTRATIONS_PER_HOUR_PER_ADDRESS / 2;
      for (let i = 0; i < half; i++) {
        expect(await registerFrom(server, `198.51.100.${i}`)).toBe(201);
      }
      for (let i = half; i < REGISTRATIONS_PER_HOUR_PER_ADDRESS; i++) {
        // Success signs the new account in and redirects.
        expect((await signUpByForm(`198.51.100.${i}`)).status).toBe(303);
      }
      const limited = await signUpByForm("192.0.2.1");
      expect(limited.status).toBe(200);
      expect(await limited.text()).toContain("Too many sign-ups from here");
      expect(await registerFrom(server, "192.0.2.2")).toBe(429);
    } finally {
      await server.kill();
    }
  });
});
