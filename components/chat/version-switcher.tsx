"use client";

import { useState } from "react";
import type { ChatMessage } from "@/client/messages";
import { Button } from "@/components/ui/button";
import { ChevronLeftIcon, ChevronRightIcon } from "@/components/ui/icons";

type Direction = "previous" | "next";

/**
 * ‹ k / n › under a message with other versions. A switch makes another version current on the
 * server, and the list shows its branch: the message under the buttons is replaced by its
 * sibling, so focus follows to the same button of the switcher at the same depth.
 */
export function VersionSwitcher({
  message,
  onSwitch,
}: {
  message: ChatMessage;
  onSwitch: (messageId: string, versionIndex: number) => Promise<void>;
}) {
  const [switching, setSwitching] = useState(false);
  const count = message.versionCount ?? 1;
  if (count < 2) return null;
  const index = message.versionIndex ?? 0;
  // Not stored yet (an edit on its way): the server has no branch through it to switch from.
  // A reply in progress does not block it: that reply goes on while another version is shown.
  const blocked = switching || message.sequence === null;

  const go = async (direction: Direction) => {
    setSwitching(true);
    try {
      await onSwitch(message.id, index + (direction === "next" ? 1 : -1));
    } finally {
      setSwitching(false);
    }
    requestAnimationFrame(() => focusSwitcher(message.depth, direction));
  };

  return (
    <fieldset
      aria-label="Versions"
      data-testid="version-switcher"
      data-depth={message.depth}
      className="m-0 flex min-w-0 items-center border-0 p-0 text-xs text-zinc-500 tabular-nums dark:text-zinc-400"
    >
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Previous version"
        title="Previous version"
        data-direction="previous"
        disabled={blocked || index === 0}
        onClick={() => void go("previous")}
      >
        <ChevronLeftIcon size={14} />
      </Button>
      <span aria-hidden="true" data-testid="version-label">
        {index + 1} / {count}
      </span>
      <span className="sr-only" aria-live="polite">
        Version {index + 1} of {count}
      </span>
      <Button
        variant="ghost"
        size="icon-sm"
        aria-label="Next version"
        title="Next version"
        data-direction="next"
        disabled={blocked || index === count - 1}
        onClick={() => void go("next")}
      >
        <ChevronRightIcon size={14} />
      </Button>
    </fieldset>
  );
}

/** After a switch: the same button at the same depth, or the other one at the end of the row. */
function focusSwitcher(depth: number | undefined, direction: Direction) {
  if (depth === undefined) return;
  const group = document.querySelector(`[data-testid="version-switcher"][data-depth="${depth}"]`);
  const button =
    group?.querySelector<HTMLButtonElement>(`[data-direction="${direction}"]:not(:disabled)`) ??
    group?.querySelector<HTMLButtonElement>("button:not(:disabled)");
  button?.focus();
}
