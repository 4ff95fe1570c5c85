"use client";

import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/** Apple keyboards say ⌘ where others say Ctrl. iPads asking for desktop sites report MacIntel. */
export function isApplePlatform(platform: string): boolean {
  return /^(Mac|iPhone|iPad|iPod)/.test(platform);
}

/**
 * How this keyboard writes Ctrl/Cmd with `key`: "⌘K" on Apple platforms, "Ctrl K" elsewhere.
 * Null on the server and during hydration (the server cannot know the keyboard), so the HTML
 * matches, then the browser's.
 */
export function useShortcutLabel(key: string): string | null {
  return useSyncExternalStore(
    subscribeToNothing,
    () => (isApplePlatform(navigator.platform) ? `⌘${key}` : `Ctrl ${key}`),
    () => null,
  );
}
