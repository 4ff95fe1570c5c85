import { describe, expect, it } from "vitest";
import { appOrigin, parseServeArgs } from "./args.mjs";

describe("npm start's arguments", () => {
  it("take the port from -p, else PORT, else 3000", () => {
    expect(parseServeArgs([], {}).port).toBe(3000);
    expect(parseServeArgs([], { PORT: "8080" }).port).toBe(8080);
    expect(parseServeArgs(["-p", "4000"], { PORT: "8080" }).port).toBe(4000);
    expect(parseServeArgs(["--port=4001"], {}).port).toBe(4001);
  });

  it("take the hostname from -H only, as next start does", () => {
    expect(parseServeArgs([], { HOSTNAME: "container-id" }).hostname).toBeUndefined();
    expect(parseServeArgs(["-H", "127.0.0.1"], {}).hostname).toBe("127.0.0.1");
    expect(parseServeArgs(["--hostname", "::"], {}).hostname).toBe("::");
  });

  it("take a keep-alive timeout", () => {
    expect(parseServeArgs(["--keepAliveTimeout", "70000"], {}).keepAliveTimeout).toBe(70_000);
    expect(parseServeArgs([], {}).keepAliveTimeout).toBeUndefined();
  });

  it("refuse what they do not know, and bad numbers", () => {
    expect(() => parseServeArgs(["--turbo"], {})).toThrow(/unknown argument "--turbo"/);
    expect(() => parseServeArgs(["-p"], {})).toThrow(/-p needs a value/);
    expect(() => parseServeArgs(["-p", "http"], {})).toThrow(/port must be an integer/);
    expect(() => parseServeArgs([], { PORT: "70000" })).toThrow(/port must be an integer/);
  });
});

describe("the origin server actions fetch from", () => {
  it("is localhost when the server listens on every interface", () => {
    expect(appOrigin(undefined, 3000)).toBe("http://localhost:3000");
    expect(appOrigin("0.0.0.0", 3000)).toBe("http://localhost:3000");
    expect(appOrigin("::", 3000)).toBe("http://[::1]:3000");
  });

  it("is the address it listens on otherwise", () => {
    expect(appOrigin("127.0.0.1", 3001)).toBe("http://127.0.0.1:3001");
    expect(appOrigin("::1", 3001)).toBe("http://[::1]:3001");
  });
});
