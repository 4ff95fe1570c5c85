// The types of cores.mjs for its TypeScript tests (tsconfig keeps allowJs off).
export const CGROUP_FILES: { v2: string; v1Quota: string; v1Period: string };
export function cgroupCpuQuota(readFile: (path: string) => string | undefined): number | undefined;
export function availableCores(sources: {
  parallelism: number;
  readFile: (path: string) => string | undefined;
}): number;
