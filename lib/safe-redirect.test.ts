import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./safe-redirect";

describe("safeCallbackUrl", () => {
  it("keeps same-site relative paths with their query and hash", () => {
    expect(safeCallbackUrl("/c/123?x=1#m")).toBe("/c/123?x=1#m");
    expect(safeCallbackUrl("/")).toBe("/");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    // Dot segments that parsing resolves into a protocol-relative address.
    "/.//evil.example",
    "/..//evil.example",
    "/%2e%2e//evil.example",
    "/x/..//evil.example/p?q#h",
    "c/123",
    "",
  ])("falls back to / for %j", (value) => {
    expect(safeCallbackUrl(value)).toBe("/");
  });

  it("falls back for non-strings and for the auth pages themselves", () => {
    expect(safeCallbackUrl(undefined)).toBe("/");
    expect(safeCallbackUrl(["/c/1"])).toBe("/");
    expect(safeCallbackUrl("/sign-in?callbackUrl=/")).toBe("/");
  });

  it("normalises dot segments without leaving the site", () => {
    expect(safeCallbackUrl("/a/../../b")).toBe("/b");
  });
});
