// How many cores this process may use: the CPUs it may run on (os.availableParallelism, which
// follows the affinity mask), capped by a container's CPU quota, which the affinity mask does not
// show (a container limited to 2 CPUs on a 16-core host still sees 16).

/** Where each cgroup version keeps the CPU quota of the process's own cgroup. */
export const CGROUP_FILES = {
  v2: "/sys/fs/cgroup/cpu.max",
  v1Quota: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
  v1Period: "/sys/fs/cgroup/cpu/cpu.cfs_period_us",
};

/**
 * The quota in CPUs (may be fractional), or undefined when there is none or it cannot be read.
 * `readFile(path)` returns the file's text, or undefined when it cannot be read.
 * @param {(path: string) => string | undefined} readFile
 * @returns {number | undefined}
 */
export function cgroupCpuQuota(readFile) {
  const v2 = readFile(CGROUP_FILES.v2);
  if (v2 !== undefined) {
    // "max 100000" (no limit) or "<quota> <period>", both in microseconds.
    const [quota, period] = v2.trim().split(/\s+/);
    return ratio(quota, period);
  }
  const quota = readFile(CGROUP_FILES.v1Quota);
  const period = readFile(CGROUP_FILES.v1Period);
  if (quota === undefined || period === undefined) return undefined;
  // v1 writes -1 for no limit.
  return ratio(quota.trim(), period.trim());
}

function ratio(quota, period) {
  const q = Number(quota);
  const p = Number(period);
  if (!Number.isFinite(q) || !Number.isFinite(p) || q <= 0 || p <= 0) return undefined;
  return q / p;
}

/**
 * The cores this process may use: the smaller of the CPUs it may run on and its cgroup quota
 * rounded up (a quota of 1.5 CPUs keeps two workers busy), at least 1.
 * @param {{ parallelism: number, readFile: (path: string) => string | undefined }} sources
 * @returns {number}
 */
export function availableCores({ parallelism, readFile }) {
  const quota = cgroupCpuQuota(readFile);
  const cores = quota === undefined ? parallelism : Math.min(parallelism, Math.ceil(quota));
  return Math.max(1, Math.floor(cores) || 1);
}
