// The types of plan.mjs for its TypeScript tests (tsconfig keeps allowJs off).
export type ServePlan = { mode: "single"; notice: string } | { mode: "cluster"; workers: number };
export function usesPglite(env: Record<string, string | undefined>): boolean;
export function parseWebConcurrency(value: string | undefined): number | undefined;
export function planServing(input: {
  env: Record<string, string | undefined>;
  cores: number;
}): ServePlan;
