// Every console line of a worker names the worker, so interleaved output of several workers can
// be told apart. Only the prefix is added: what is logged is the caller's business.

const METHODS = ["log", "info", "warn", "error", "debug"];

/**
 * The arguments with `prefix` in front: joined to a leading string (so its format specifiers,
 * %s and the like, still apply), or as an argument of its own.
 * @param {string} prefix
 * @param {unknown[]} args
 */
export function prefixed(prefix, args) {
  const [first, ...rest] = args;
  return typeof first === "string" ? [`${prefix} ${first}`, ...rest] : [prefix, ...args];
}

/**
 * @param {string} prefix e.g. "[worker 2]"
 * @param {Pick<Console, "log" | "info" | "warn" | "error" | "debug">} target
 */
export function prefixConsole(prefix, target = console) {
  for (const method of METHODS) {
    const original = target[method].bind(target);
    target[method] = (...args) => original(...prefixed(prefix, args));
  }
}
