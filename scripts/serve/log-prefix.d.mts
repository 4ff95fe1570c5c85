// The types of log-prefix.mjs for its TypeScript tests (tsconfig keeps allowJs off).
type Logger = Pick<Console, "log" | "info" | "warn" | "error" | "debug">;
export function prefixed(prefix: string, args: unknown[]): unknown[];
export function prefixConsole(prefix: string, target?: Logger): void;
