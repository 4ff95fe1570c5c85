"use client";

import { useSyncExternalStore } from "react";

/**
 * Whether a media query matches, kept current. The server (and the hydration pass) assume
 * `serverDefault`, so the first client render matches the HTML.
 */
export function useMediaQuery(query: string, serverDefault: boolean): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", onChange);
      return () => list.removeEventListener("change", onChange);
    },
    () => window.matchMedia(query).matches,
    () => serverDefault,
  );
}

export const DESKTOP_QUERY = "(min-width: 768px)";
