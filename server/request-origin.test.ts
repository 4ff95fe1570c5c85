import { describe, expect, it } from "vitest";
import { isCrossSiteRequest, isJsonContentType } from "./request-origin";

const from = (headers: Record<string, string>, hops = 0) =>
  isCrossSiteRequest(new Headers({ host: "chat.example.com", ...headers }), hops);

describe("isCrossSiteRequest", () => {
  it("lets our own pages and non-browser clients through", () => {
    expect(from({})).toBe(false);
    expect(from({ "sec-fetch-site": "same-origin", origin: "https://chat.example.com" })).toBe(
      false,
    );
    expect(from({ origin: "http://chat.example.com" })).toBe(false);
    expect(from({ "sec-fetch-site": "none" })).toBe(false);
  });

  it("refuses other sites, sibling subdomains and opaque origins", () => {
    expect(from({ "sec-fetch-site": "cross-site" })).toBe(true);
    expect(from({ "sec-fetch-site": "same-site" })).toBe(true);
    expect(from({ origin: "https://evil.example" })).toBe(true);
    expect(from({ origin: "https://chat.example.com.evil.example" })).toBe(true);
    expect(from({ origin: "https://chat.example.com:8443" })).toBe(true);
    expect(from({ origin: "null" })).toBe(true);
  });

  it("believes X-Forwarded-Host only behind trusted proxies", () => {
    const proxied = {
      host: "app:3000",
      "x-forwarded-host": "chat.example.com",
      origin: "https://chat.example.com",
    };
    expect(from(proxied, 1)).toBe(false);
    expect(from(proxied, 0)).toBe(true);
  });
});

describe("isJsonContentType", () => {
  it("accepts JSON with parameters, nothing else", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonContentType("text/plain")).toBe(false);
    expect(isJsonContentType("application/x-www-form-urlencoded")).toBe(false);
    expect(isJsonContentType("application/jsonp")).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
  });
});
