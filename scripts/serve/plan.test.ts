import { describe, expect, it } from "vitest";
import { parseWebConcurrency, planServing, usesPglite } from "./plan.mjs";

const POSTGRES = "postgres://chatkeep@db.example.com/chatkeep";

describe("how npm start serves", () => {
  it("forks one worker per core on a server database", () => {
    expect(planServing({ env: { DATABASE_URL: POSTGRES }, cores: 4 })).toEqual({
      mode: "cluster",
      workers: 4,
    });
  });

  it("forks WEB_CONCURRENCY workers when it is set", () => {
    const env = { DATABASE_URL: POSTGRES, WEB_CONCURRENCY: "3" };
    expect(planServing({ env, cores: 16 })).toEqual({ mode: "cluster", workers: 3 });
    expect(planServing({ env: { ...env, WEB_CONCURRENCY: "1" }, cores: 16 })).toEqual({
      mode: "cluster",
      workers: 1,
    });
  });

  it("stays one process on PGlite, and says why", () => {
    const plan = planServing({ env: {}, cores: 8 });
    expect(plan.mode).toBe("single");
    expect(plan.mode === "single" && plan.notice).toMatch(/PGlite .* only one process/);
    expect(plan.mode === "single" && plan.notice).not.toMatch(/WEB_CONCURRENCY/);
  });

  it("says WEB_CONCURRENCY above one was ignored on PGlite", () => {
    const plan = planServing({ env: { WEB_CONCURRENCY: "4" }, cores: 8 });
    expect(plan).toMatchObject({ mode: "single" });
    expect(plan.mode === "single" && plan.notice).toMatch(/WEB_CONCURRENCY=4 ignored/);
  });

  it("refuses a WEB_CONCURRENCY that is not a positive integer, even on PGlite", () => {
    for (const value of ["0", "-2", "two", "1.5", "3 workers"]) {
      expect(() => planServing({ env: { WEB_CONCURRENCY: value }, cores: 2 })).toThrow(
        /WEB_CONCURRENCY must be a positive integer/,
      );
    }
    expect(parseWebConcurrency(undefined)).toBeUndefined();
    expect(parseWebConcurrency(" ")).toBeUndefined();
    expect(parseWebConcurrency(" 2 ")).toBe(2);
  });

  it("chooses the driver as the server does: DATABASE_DRIVER wins", () => {
    expect(usesPglite({})).toBe(true);
    expect(usesPglite({ DATABASE_URL: POSTGRES })).toBe(false);
    expect(usesPglite({ DATABASE_URL: POSTGRES, DATABASE_DRIVER: "pglite" })).toBe(true);
    expect(usesPglite({ DATABASE_URL: POSTGRES, DATABASE_DRIVER: "neon" })).toBe(false);
  });
});
