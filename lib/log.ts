// What the server may print about an error. Logs are read by more people, and kept longer and
// in more places, than the database: they never hold message content, titles, passwords or
// share tokens (docs/operations.md, "Logs"). No Node-only imports: Auth.js's edge-safe config
// uses it too.

const MAX_MESSAGE_CHARS = 300;
const MAX_QUERY_CHARS = 300;
const MAX_FRAMES = 8;
const MAX_CAUSES = 5;

/**
 * One error as a few safe lines: for it and each of its causes, the kind, its codes (SQLSTATE or
 * errno, and the table, column and constraint Postgres names) and its message with every quoted
 * value taken out; then the top of its stack. A failed query shows its SQL, never its
 * parameters.
 *
 * Printing an error object itself would not do: `console.error(error)` prints every property,
 * and Drizzle's DrizzleQueryError carries the query's parameters (a message's text, a title) in
 * its message and in `params`, Postgres errors quote the offending value in `detail` and
 * `where`, a JSON SyntaxError quotes the input, and the AI SDK's APICallError carries the whole
 * prompt in `requestBodyValues`.
 */
export function describeError(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_CAUSES; depth++) {
    lines.push(`${depth === 0 ? "" : "caused by: "}${describeOne(current)}`);
    const { cause, err } = current as { cause?: unknown; err?: unknown };
    // Auth.js wraps the error it caught as `{ err, ...details }`: the details are not printed.
    current = cause ?? (err instanceof Error ? err : undefined);
  }
  const stack = error instanceof Error ? stackFrames(error) : [];
  return [...lines, ...stack].join("\n");
}

/** `console.error` of a context and a safe description of the error: the only way to log one. */
export function logError(context: string, error: unknown): void {
  console.error(`${context}: ${describeError(error)}`);
}

function describeOne(error: unknown): string {
  if (typeof error !== "object" || error === null) return `(${typeof error})`;
  const fields = error as Record<string, unknown>;
  // Some classes leave `name` as "Error" (Drizzle's DrizzleQueryError): their own name says more.
  const className = error.constructor?.name ?? "Object";
  const name = error instanceof Error && error.name !== "Error" ? error.name : className;
  const codes = ["code", "errno", "table", "column", "constraint"]
    .map((key) => [key, fields[key]] as const)
    .filter(([, value]) => typeof value === "string" || typeof value === "number")
    .map(([key, value]) => `${key}=${redact(String(value)).slice(0, 100)}`);
  const query = typeof fields.query === "string" && Array.isArray(fields.params);
  const message = query
    ? `failed query: ${collapse(fields.query as string).slice(0, MAX_QUERY_CHARS)}`
    : redact(typeof fields.message === "string" ? fields.message : "").slice(0, MAX_MESSAGE_CHARS);
  return `${name}${codes.length ? ` [${codes.join(" ")}]` : ""}${message ? `: ${message}` : ""}`;
}

/**
 * A message without the values it quotes: Postgres quotes the value it refused
 * (`invalid input syntax for type uuid: "…"`), JSON.parse a piece of its input. What is left
 * (the sentence, positions, type names) says what went wrong without saying what was sent.
 * Everything after the first line goes too: a multi-line message is a dump.
 */
export function redact(message: string): string {
  const firstLine = message.split("\n", 1)[0] ?? "";
  // A single quote after a letter is an apostrophe ("isn't"), not the start of a value.
  return firstLine
    .replace(/"(?:[^"\\]|\\.)*"?/g, '"…"')
    .replace(/(?<!\w)'(?:[^'\\]|\\.)*'?/g, "'…'");
}

function collapse(sql: string): string {
  return sql.replace(/\s+/g, " ").trim();
}

/**
 * The stack's `at …` lines. The stack starts with the message, which may span lines (anything a
 * line could hold, a fake `at` line included): everything up to the message's end is cut off,
 * and a stack that does not hold the message is not printed at all.
 */
function stackFrames(error: Error): string[] {
  const stack = error.stack ?? "";
  const end = error.message ? stack.indexOf(error.message) : 0;
  if (end < 0) return [];
  return stack
    .slice(end + error.message.length)
    .split("\n")
    .filter((line) => /^\s+at /.test(line))
    .slice(0, MAX_FRAMES);
}
