// The types of restart-policy.mjs for its TypeScript tests (tsconfig keeps allowJs off).
export const QUICK_DEATH_MS: number;
export const MAX_QUICK_DEATHS: number;
export const BACKOFF_STEP_MS: number;
export function afterWorkerDeath(death: {
  livedMs: number;
  anyWorkerReady: boolean;
  quickDeaths: number;
}):
  | { action: "replace"; delayMs: number; quickDeaths: number }
  | { action: "stop"; reason: string };
