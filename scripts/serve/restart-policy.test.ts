import { describe, expect, it } from "vitest";
import { afterWorkerDeath, MAX_QUICK_DEATHS, QUICK_DEATH_MS } from "./restart-policy.mjs";

describe("after a worker dies", () => {
  it("replaces it at once when it had been up a while, and forgets earlier quick deaths", () => {
    expect(
      afterWorkerDeath({ livedMs: QUICK_DEATH_MS, anyWorkerReady: true, quickDeaths: 3 }),
    ).toEqual({ action: "replace", delayMs: 0, quickDeaths: 0 });
  });

  it("replaces a worker that died soon after starting more slowly each time", () => {
    const first = afterWorkerDeath({ livedMs: 500, anyWorkerReady: true, quickDeaths: 0 });
    const second = afterWorkerDeath({ livedMs: 500, anyWorkerReady: true, quickDeaths: 1 });
    expect(first).toMatchObject({ action: "replace", quickDeaths: 1 });
    expect(second).toMatchObject({ action: "replace", quickDeaths: 2 });
    const delay = (d: typeof first) => (d.action === "replace" ? d.delayMs : -1);
    expect(delay(first)).toBeGreaterThan(0);
    expect(delay(second)).toBeGreaterThan(delay(first));
  });

  it("stops after too many quick deaths in a row", () => {
    const last = afterWorkerDeath({
      livedMs: 500,
      anyWorkerReady: true,
      quickDeaths: MAX_QUICK_DEATHS - 1,
    });
    expect(last).toMatchObject({ action: "stop", reason: expect.stringMatching(/in a row/) });
  });

  it("stops when no worker ever served: the server cannot start", () => {
    expect(
      afterWorkerDeath({ livedMs: 60_000, anyWorkerReady: false, quickDeaths: 0 }),
    ).toMatchObject({ action: "stop" });
  });
});
