import { describe, expect, it } from "vitest";
import { availableCores, CGROUP_FILES, cgroupCpuQuota } from "./cores.mjs";

const files =
  (contents: Record<string, string>) =>
  (path: string): string | undefined =>
    contents[path];

describe("the cores a process may use", () => {
  it("are the CPUs it may run on when no cgroup limits it", () => {
    expect(availableCores({ parallelism: 8, readFile: files({}) })).toBe(8);
    expect(
      availableCores({ parallelism: 8, readFile: files({ [CGROUP_FILES.v2]: "max 100000\n" }) }),
    ).toBe(8);
    expect(
      availableCores({
        parallelism: 8,
        readFile: files({ [CGROUP_FILES.v1Quota]: "-1\n", [CGROUP_FILES.v1Period]: "100000\n" }),
      }),
    ).toBe(8);
  });

  it("are capped by a cgroup v2 quota, rounded up", () => {
    const quota = (text: string) =>
      availableCores({ parallelism: 16, readFile: files({ [CGROUP_FILES.v2]: text }) });
    expect(quota("200000 100000\n")).toBe(2);
    expect(quota("150000 100000")).toBe(2);
    expect(quota("50000 100000")).toBe(1);
  });

  it("are capped by a cgroup v1 quota", () => {
    const readFile = files({
      [CGROUP_FILES.v1Quota]: "300000\n",
      [CGROUP_FILES.v1Period]: "100000\n",
    });
    expect(availableCores({ parallelism: 16, readFile })).toBe(3);
  });

  it("never exceed the CPUs it may run on, whatever the quota", () => {
    const readFile = files({ [CGROUP_FILES.v2]: "800000 100000" });
    expect(availableCores({ parallelism: 2, readFile })).toBe(2);
  });

  it("are at least one", () => {
    expect(availableCores({ parallelism: 0, readFile: files({}) })).toBe(1);
    expect(
      availableCores({ parallelism: 4, readFile: files({ [CGROUP_FILES.v2]: "1000 100000" }) }),
    ).toBe(1);
  });

  it("ignore a quota file it cannot make sense of", () => {
    expect(cgroupCpuQuota(files({ [CGROUP_FILES.v2]: "" }))).toBeUndefined();
    expect(cgroupCpuQuota(files({ [CGROUP_FILES.v2]: "lots 100000" }))).toBeUndefined();
    expect(cgroupCpuQuota(files({ [CGROUP_FILES.v1Quota]: "200000" }))).toBeUndefined();
    expect(cgroupCpuQuota(files({ [CGROUP_FILES.v2]: "250000 100000" }))).toBe(2.5);
  });
});
