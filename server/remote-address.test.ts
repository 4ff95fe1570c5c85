import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  addressFromChain,
  clientAddress,
  stampClientAddresses,
  UNVERIFIED_ADDRESS,
} from "./remote-address";

describe("addressFromChain", () => {
  it("takes the connection itself, the rightmost entry, when no proxy is trusted", () => {
    expect(addressFromChain("6.6.6.6, 10.0.0.2", 0)).toBe("10.0.0.2");
    expect(addressFromChain("10.0.0.2", 0)).toBe("10.0.0.2");
  });

  it("takes the N-th entry from the right behind N trusted proxies", () => {
    // A forged entry first, then what the proxy saw, then the proxy's own connection.
    expect(addressFromChain("6.6.6.6, 203.0.113.7, 10.0.0.2", 1)).toBe("203.0.113.7");
    expect(addressFromChain("6.6.6.6, 203.0.113.7, 172.16.0.1, 10.0.0.2", 2)).toBe("203.0.113.7");
  });

  it("gives the leftmost entry of a chain shorter than the trusted hops", () => {
    expect(addressFromChain("203.0.113.7, 10.0.0.2", 5)).toBe("203.0.113.7");
  });

  it("ignores blanks and spacing, and has no address for an empty chain", () => {
    expect(addressFromChain(" 203.0.113.7 ,, 10.0.0.2 ", 1)).toBe("203.0.113.7");
    expect(addressFromChain("", 0)).toBe(UNVERIFIED_ADDRESS);
  });
});

describe("clientAddress on a real HTTP server", () => {
  let url = "";
  let close = () => {};
  beforeAll(async () => {
    stampClientAddresses();
    const server = createServer((request, response) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      response.end(clientAddress(headers));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    close = () => server.close();
  });
  afterAll(() => close());

  const addressSeenFor = async (headers: Record<string, string>) =>
    (await fetch(url, { headers })).text();

  it("is the connection's address whatever X-Forwarded-For the client writes", async () => {
    expect(await addressSeenFor({})).toBe("127.0.0.1");
    expect(await addressSeenFor({ "x-forwarded-for": "6.6.6.6" })).toBe("127.0.0.1");
    expect(await addressSeenFor({ "x-forwarded-for": "1.1.1.1, 2.2.2.2" })).toBe("127.0.0.1");
  });

  it("is not fooled by a client-written stamp", async () => {
    expect(
      await addressSeenFor({ "x-chatkeep-peer": "guessed-token", "x-forwarded-for": "6.6.6.6" }),
    ).toBe("127.0.0.1");
  });

  it("puts unstamped requests (before the stamp was installed) in one shared bucket", () => {
    const forged = new Headers({ "x-forwarded-for": "6.6.6.6", "x-chatkeep-peer": "guess" });
    expect(clientAddress(forged)).toBe(UNVERIFIED_ADDRESS);
  });

  it("behind trusted proxies, reads an unstamped chain (a serverless host) one hop shorter", async () => {
    vi.stubEnv("TRUSTED_PROXY_HOPS", "1");
    // A fresh copy of the modules, so the environment is read again.
    vi.resetModules();
    try {
      const fresh = await import("./remote-address");
      // The platform's proxy appended the client it saw; the client's own entry is ignored.
      const unstamped = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" });
      expect(fresh.clientAddress(unstamped)).toBe("203.0.113.7");
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});
