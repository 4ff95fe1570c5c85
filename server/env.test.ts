import { describe, expect, it } from "vitest";
import { envExample } from "@/test/support/env-example";
import { parseServerEnv } from "./env";

describe("parseServerEnv", () => {
  it("accepts .env.example as it is, blanks and all, and gives the defaults", () => {
    const example = envExample();
    expect(example).toMatchObject({ DATABASE_URL: "", AUTH_SECRET: "", DATA_DIR: "./.data" });
    expect(parseServerEnv(example)).toEqual(parseServerEnv({}));
  });

  // Every variable .env.example names, which is every variable an operator might leave blank.
  it.each(Object.keys(envExample()))("treats a blank or whitespace-only %s as unset", (name) => {
    expect(parseServerEnv({ [name]: "" })).toEqual(parseServerEnv({}));
    expect(parseServerEnv({ [name]: "  " })).toEqual(parseServerEnv({}));
  });

  it("still rejects a value that is set but wrong, naming the variable", () => {
    expect(() => parseServerEnv({ REPLY_LEASE_MS: "soon" })).toThrow(
      /Invalid environment:[\s\S]*REPLY_LEASE_MS:/,
    );
    expect(() => parseServerEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL:/);
  });
});
