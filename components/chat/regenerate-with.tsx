"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { groupModels, type ModelRef, modelName, toModelRef } from "@/client/models";
import { buttonClasses } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ChevronUpDownIcon } from "@/components/ui/icons";
import { useModelCatalog } from "./model-catalog-context";

const itemClasses = cn(
  "flex w-full cursor-pointer items-center gap-2 rounded-lg px-2.5 py-1.5 text-left text-sm text-zinc-800 outline-none select-none",
  "data-[highlighted]:bg-zinc-100 dark:text-zinc-200 dark:data-[highlighted]:bg-zinc-800",
  "data-[disabled]:cursor-default data-[disabled]:opacity-50",
);

/**
 * "Regenerate with…" beside Regenerate: a new version of the reply written by the model chosen
 * here. The conversation stays on its own model.
 */
export function RegenerateWith({
  disabled,
  onPick,
}: {
  disabled: boolean;
  onPick: (model: ModelRef) => void;
}) {
  const catalog = useModelCatalog();
  if (!catalog || catalog.models.length === 0) return null;
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger
        data-testid="regenerate-with"
        aria-label="Regenerate with…"
        title="Regenerate with…"
        disabled={disabled}
        className={buttonClasses("ghost", "icon-sm", "w-5")}
      >
        <ChevronUpDownIcon size={12} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="start"
          sideOffset={4}
          collisionPadding={8}
          className="z-50 max-h-80 min-w-52 animate-[pop-in_120ms_ease-out] overflow-y-auto rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <DropdownMenu.Label className="px-2.5 py-1 text-xs text-zinc-500">
            Regenerate with
          </DropdownMenu.Label>
          {groupModels(catalog.models).map((group) => (
            <DropdownMenu.Group key={group.endpointId}>
              <DropdownMenu.Label className="px-2.5 pt-1.5 pb-0.5 text-xs font-medium text-zinc-500">
                {group.endpointName}
              </DropdownMenu.Label>
              {group.models.map((model) => (
                <DropdownMenu.Item
                  key={modelName(model)}
                  disabled={!model.available}
                  onSelect={() => onPick(toModelRef(model))}
                  data-testid="regenerate-with-model"
                  className={itemClasses}
                >
                  <span className="min-w-0 flex-1 truncate">{model.label}</span>
                  {model.available ? null : (
                    <span className="shrink-0 text-xs text-zinc-500">unavailable</span>
                  )}
                </DropdownMenu.Item>
              ))}
            </DropdownMenu.Group>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
