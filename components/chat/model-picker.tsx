"use client";

import * as Popover from "@radix-ui/react-popover";
import { Command } from "cmdk";
import { type RefObject, useRef, useState } from "react";
import {
  groupModels,
  isOfflineModel,
  type ModelCatalog,
  type ModelRef,
  modelLabel,
  modelName,
  sameModel,
  toModelRef,
} from "@/client/models";
import { cn } from "@/components/ui/cn";
import { CheckIcon, ChevronUpDownIcon, SearchIcon } from "@/components/ui/icons";

/**
 * The model the conversation's next turn goes to, in the chat header: a button with its name
 * that opens a searchable list of every model, grouped by endpoint. Enter or Space opens it,
 * typing filters, the arrows move, Enter picks, Escape closes; focus comes back to the button.
 */
export function ModelPicker({
  catalog,
  value,
  onPick,
}: {
  catalog: ModelCatalog;
  value: ModelRef;
  onPick: (model: ModelRef) => void;
}) {
  const [open, setOpen] = useState(false);
  // The field, not cmdk's root (which is focusable too), takes the focus: typing must land there.
  const inputRef = useRef<HTMLInputElement>(null);
  const label = modelLabel(catalog, value);
  const offline = isOfflineModel(value);
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger
        data-testid="model-picker"
        title={offline ? "Replies come from the built-in offline model" : `Model: ${label}`}
        className={cn(
          "inline-flex h-6 min-w-0 shrink-0 cursor-pointer items-center gap-1.5 self-start rounded-full text-xs font-medium sm:h-8 sm:max-w-[45%] sm:self-auto sm:border sm:px-2.5",
          "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-500",
          offline
            ? "text-amber-800 hover:bg-amber-100/60 sm:border-amber-300/70 sm:bg-amber-50 dark:text-amber-300 dark:hover:bg-amber-500/20 dark:sm:border-amber-500/30 dark:sm:bg-amber-500/10"
            : "text-zinc-700 hover:bg-zinc-100 sm:border-zinc-200 sm:bg-zinc-50 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:sm:border-zinc-700 dark:sm:bg-zinc-900",
        )}
      >
        <span
          aria-hidden="true"
          className={cn(
            "size-1.5 shrink-0 rounded-full",
            offline ? "bg-amber-500" : "bg-emerald-500",
          )}
        />
        <span className="sr-only">Model: </span>
        <span data-testid="model-label" className="truncate">
          {label}
        </span>
        <ChevronUpDownIcon size={12} className="shrink-0 opacity-60" />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          align="end"
          sideOffset={6}
          collisionPadding={8}
          aria-label="Choose a model"
          data-testid="model-picker-list"
          onOpenAutoFocus={(event) => {
            event.preventDefault();
            inputRef.current?.focus();
          }}
          className="z-50 w-80 max-w-[calc(100vw-1rem)] animate-[pop-in_120ms_ease-out] rounded-xl border border-zinc-200 bg-white p-1.5 shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <ModelList
            catalog={catalog}
            value={value}
            inputRef={inputRef}
            onPick={(model) => {
              setOpen(false);
              if (!sameModel(model, value)) onPick(model);
            }}
          />
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}

/** Filtered here rather than by cmdk, so the id and the endpoint's name match too. */
function ModelList({
  catalog,
  value,
  inputRef,
  onPick,
}: {
  catalog: ModelCatalog;
  value: ModelRef;
  inputRef: RefObject<HTMLInputElement | null>;
  onPick: (model: ModelRef) => void;
}) {
  const [query, setQuery] = useState("");
  const groups = groupModels(catalog.models, query);
  return (
    <Command shouldFilter={false} label="Models" defaultValue={modelName(value)} loop>
      <div className="flex items-center gap-2 border-b border-zinc-200 px-2 dark:border-zinc-700">
        <SearchIcon size={14} className="shrink-0 text-zinc-400" />
        <Command.Input
          ref={inputRef}
          value={query}
          onValueChange={setQuery}
          placeholder="Search models…"
          data-testid="model-search"
          className="h-9 w-full bg-transparent text-sm outline-none placeholder:text-zinc-400"
        />
      </div>
      <Command.List className="max-h-72 overflow-y-auto pt-1">
        <Command.Empty className="py-4 text-center text-sm text-zinc-500">
          No model matches “{query.trim()}”.
        </Command.Empty>
        {groups.map((group) => (
          <Command.Group
            key={group.endpointId}
            heading={group.endpointName}
            className="pb-1 [&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:py-1.5 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-zinc-500"
          >
            {group.models.map((model) => {
              const current = sameModel(model, value);
              return (
                <Command.Item
                  key={modelName(model)}
                  value={modelName(model)}
                  disabled={!model.available}
                  onSelect={() => onPick(toModelRef(model))}
                  data-testid="model-option"
                  data-current={current ? "true" : undefined}
                  className="flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1.5 text-sm text-zinc-800 data-[disabled=true]:cursor-default data-[disabled=true]:opacity-50 data-[selected=true]:bg-zinc-100 dark:text-zinc-200 dark:data-[selected=true]:bg-zinc-800"
                >
                  <span className="min-w-0 flex-1 truncate">
                    {model.label}
                    {model.label !== model.modelId ? (
                      <span className="ml-1.5 text-xs text-zinc-400">{model.modelId}</span>
                    ) : null}
                  </span>
                  {model.available ? null : (
                    <span className="shrink-0 text-xs text-zinc-500">unavailable</span>
                  )}
                  {current ? (
                    <>
                      <CheckIcon size={14} className="shrink-0 text-zinc-500" />
                      <span className="sr-only">(current)</span>
                    </>
                  ) : null}
                </Command.Item>
              );
            })}
          </Command.Group>
        ))}
      </Command.List>
    </Command>
  );
}
