"use client";

import { Button } from "@/components/ui/button";
import { AlertIcon } from "@/components/ui/icons";

/**
 * Under the header of a conversation whose model the deployment no longer lists: says so and
 * offers the default. Until then the server refuses its turns (and says why), never silently
 * answering with another model.
 */
export function ModelGoneNotice({
  label,
  defaultLabel,
  onUseDefault,
}: {
  label: string;
  defaultLabel: string;
  onUseDefault: () => void;
}) {
  return (
    <div
      role="status"
      data-testid="model-gone"
      className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1.5 border-b border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900 sm:px-4 dark:border-amber-500/30 dark:bg-amber-500/10 dark:text-amber-200"
    >
      <span className="flex min-w-0 items-center gap-2">
        <AlertIcon size={16} className="shrink-0" />
        <span className="min-w-0 break-words">{label} is no longer available.</span>
      </span>
      <Button variant="outline" size="sm" data-testid="use-default-model" onClick={onUseDefault}>
        Use {defaultLabel}
      </Button>
    </div>
  );
}
