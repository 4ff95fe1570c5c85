import { describe, expect, it } from "vitest";
import { hashPassword, verifyPasswordOrDummy } from "./passwords";

async function fastest(runs: number, work: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe("verifyPasswordOrDummy", () => {
  it("checks a real hash, and refuses when there is none", async () => {
    const hash = await hashPassword("correct horse");
    expect(await verifyPasswordOrDummy(hash, "correct horse")).toBe(true);
    expect(await verifyPasswordOrDummy(hash, "wrong horse")).toBe(false);
    expect(await verifyPasswordOrDummy(null, "correct horse")).toBe(false);
    expect(await verifyPasswordOrDummy(undefined, "")).toBe(false);
  });

  it("spends an Argon2 verification on a missing account too", async () => {
    const hash = await hashPassword("correct horse");
    await verifyPasswordOrDummy(null, "warm-up");
    const real = await fastest(3, () => verifyPasswordOrDummy(hash, "wrong horse"));
    const missing = await fastest(3, () => verifyPasswordOrDummy(null, "wrong horse"));
    // Same cost parameters: the two take about as long. Without the dummy, a missing account
    // answers in microseconds.
    expect(missing).toBeGreaterThan(real * 0.5);
  });
});
