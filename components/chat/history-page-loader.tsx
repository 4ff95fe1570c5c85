"use client";

import { type RefObject, useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Spinner } from "@/components/ui/spinner";

// Each end of the window: where its marker sits, what it says, and how early a page is asked for.
const EDGES = {
  older: {
    testId: "load-older-sentinel",
    padding: "pb-4",
    rootMargin: "300px 0px 0px 0px",
    loading: "Loading earlier messages…",
    failed: "Could not load earlier messages.",
  },
  newer: {
    testId: "load-newer-sentinel",
    padding: "pt-4",
    rootMargin: "0px 0px 300px 0px",
    loading: "Loading later messages…",
    failed: "Could not load later messages.",
  },
} as const;

/** Where a page of one end stands: none on its way, one on its way, or the last one failed. */
export type PageLoadState = "idle" | "loading" | "error";

/**
 * The marker at one end of a window that has more to load there: asks for the next page when
 * it comes near the view, shows the page loading, and offers a retry when it failed.
 */
export function HistoryPageLoader({
  edge,
  state,
  onLoad,
  scrollRef,
  loaded,
}: {
  edge: keyof typeof EDGES;
  state: PageLoadState;
  onLoad: () => void;
  scrollRef: RefObject<HTMLDivElement | null>;
  /** How many messages the window holds: each page re-arms the observer. */
  loaded: number;
}) {
  const { testId, padding, rootMargin, loading, failed } = EDGES[edge];
  const markerRef = useRef<HTMLDivElement>(null);

  // Re-armed after each page: if the marker is still in view (short pages) the next one loads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded re-arms the observer.
  useEffect(() => {
    const marker = markerRef.current;
    if (!marker || state !== "idle") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) onLoad();
      },
      { root: scrollRef.current, rootMargin },
    );
    observer.observe(marker);
    return () => observer.disconnect();
  }, [state, onLoad, scrollRef, rootMargin, loaded]);

  return (
    <div
      ref={markerRef}
      data-testid={testId}
      className={cn("flex min-h-10 items-center justify-center text-xs text-zinc-500", padding)}
    >
      {state === "loading" ? (
        <span className="flex items-center gap-2">
          <Spinner /> {loading}
        </span>
      ) : state === "error" ? (
        <span className="flex items-center gap-2">
          {failed}
          <Button variant="outline" size="sm" onClick={onLoad}>
            Try again
          </Button>
        </span>
      ) : null}
    </div>
  );
}
