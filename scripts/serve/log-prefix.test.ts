import { describe, expect, it } from "vitest";
import { prefixConsole, prefixed } from "./log-prefix.mjs";

describe("a worker's console lines", () => {
  it("carry the worker's name in front, format specifiers kept", () => {
    expect(prefixed("[worker 2]", ["%s ready", "db"])).toEqual(["[worker 2] %s ready", "db"]);
    const error = new Error("x");
    expect(prefixed("[worker 2]", [error])).toEqual(["[worker 2]", error]);
    expect(prefixed("[worker 2]", [])).toEqual(["[worker 2]"]);
  });

  it("are prefixed on every console method", () => {
    const lines: unknown[][] = [];
    const record = (...args: unknown[]) => {
      lines.push(args);
    };
    const target = { log: record, info: record, warn: record, error: record, debug: record };
    prefixConsole("[worker 1]", target);
    target.log("a");
    target.info("b");
    target.warn("c");
    target.error("d", 1);
    target.debug({ e: true });
    expect(lines).toEqual([
      ["[worker 1] a"],
      ["[worker 1] b"],
      ["[worker 1] c"],
      ["[worker 1] d", 1],
      ["[worker 1]", { e: true }],
    ]);
  });
});
