// The listen address from `npm start`'s arguments, as `next start` reads them: -p/--port (else
// PORT, else 3000), -H/--hostname (else every interface), --keepAliveTimeout. HOSTNAME is not
// read, as `next start` does not: Docker sets it to the container's id.

const USAGE =
  "usage: npm start -- [-p|--port <port>] [-H|--hostname <host>] [--keepAliveTimeout <ms>]";

/**
 * @param {string[]} argv the arguments after the script
 * @param {Record<string, string | undefined>} env
 * @returns {{ port: number, hostname: string | undefined, keepAliveTimeout: number | undefined }}
 *   throws on an unknown flag or a bad number
 */
export function parseServeArgs(argv, env) {
  const given = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    const [flag, inline] = arg.startsWith("--") ? splitOnce(arg, "=") : [arg, undefined];
    const name =
      { "-p": "port", "--port": "port", "-H": "hostname", "--hostname": "hostname" }[flag] ??
      (flag === "--keepAliveTimeout" ? "keepAliveTimeout" : undefined);
    if (!name) throw new Error(`unknown argument "${arg}"; ${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value; ${USAGE}`);
    given.set(name, value);
  }
  return {
    port: positiveInteger("port", given.get("port") ?? env.PORT ?? "3000", 65_535),
    hostname: given.get("hostname"),
    keepAliveTimeout: given.has("keepAliveTimeout")
      ? positiveInteger("keepAliveTimeout", given.get("keepAliveTimeout"), 2 ** 31 - 1)
      : undefined,
  };
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function positiveInteger(name, text, max) {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer from 1 to ${max}, not "${text}"`);
  }
  return value;
}

/**
 * The origin Next.js's server actions use to reach this server, as `next start` derives it.
 * @param {string | undefined} hostname
 * @param {number} port
 */
export function appOrigin(hostname, port) {
  if (!hostname || hostname === "0.0.0.0") return `http://localhost:${port}`;
  if (hostname === "::" || hostname === "[::]") return `http://[::1]:${port}`;
  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;
  return `http://${host}:${port}`;
}
