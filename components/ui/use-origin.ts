"use client";

import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => {};

/**
 * This site's origin, for building absolute links. Empty on the server and during hydration (the
 * server cannot know the address the browser used), then the browser's.
 */
export function useOrigin(): string {
  return useSyncExternalStore(
    subscribeToNothing,
    () => window.location.origin,
    () => "",
  );
}
