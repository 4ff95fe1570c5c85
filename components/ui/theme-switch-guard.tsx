"use client";

import { useEffect } from "react";

/**
 * When the system switches between light and dark, every hover transition on colours would
 * animate the change element by element. Transitions are switched off for the two frames the
 * switch takes, so the page changes theme at once.
 */
export function ThemeSwitchGuard() {
  useEffect(() => {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => {
      const root = document.documentElement;
      root.classList.add("theme-switching");
      requestAnimationFrame(() =>
        requestAnimationFrame(() => root.classList.remove("theme-switching")),
      );
    };
    query.addEventListener("change", onChange);
    return () => query.removeEventListener("change", onChange);
  }, []);
  return null;
}
