// The types of args.mjs for its TypeScript tests (tsconfig keeps allowJs off).
export function parseServeArgs(
  argv: string[],
  env: Record<string, string | undefined>,
): { port: number; hostname: string | undefined; keepAliveTimeout: number | undefined };
export function appOrigin(hostname: string | undefined, port: number): string;
