"use client";

import * as RadixDialog from "@radix-ui/react-dialog";
import { type ReactNode, type RefObject, useLayoutEffect, useRef } from "react";
import { cn } from "./cn";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  className?: string;
  testId?: string;
  /** Where the focus goes on opening; otherwise the first control that Tab reaches. */
  initialFocus?: RefObject<HTMLElement | null>;
  /**
   * Where the focus goes on closing, when the element that had it before opening is gone (a
   * menu item that opened the dialog as its menu closed).
   */
  returnFocus?: RefObject<HTMLElement | null>;
}

/**
 * A modal on Radix Dialog: focus moves in and Tab cannot leave, the page behind is hidden from
 * assistive technology and does not scroll, Escape or a click outside closes it, and the title
 * and description label it. Open and closed are the caller's state: every way out calls onClose.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  className,
  testId,
  initialFocus,
  returnFocus,
}: DialogProps) {
  // Radix gives the focus back to a Dialog.Trigger; these dialogs are opened from menus, rows
  // and shortcuts instead, so the element focused before opening is remembered here. A layout
  // effect runs before the content mounts (the portal renders it one pass later), so nothing
  // inside the dialog has taken the focus yet.
  const previousFocus = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (open) previousFocus.current = document.activeElement as HTMLElement | null;
  }, [open]);

  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-50 bg-black/50 backdrop-blur-[2px]" />
        <RadixDialog.Content
          data-testid={testId}
          // Without a description, say so: Radix would otherwise point at a missing element.
          {...(description ? {} : { "aria-describedby": undefined })}
          onOpenAutoFocus={(event) => {
            const target = initialFocus?.current;
            if (!target) return;
            event.preventDefault();
            target.focus();
          }}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            const previous = previousFocus.current;
            const target =
              previous?.isConnected && previous !== document.body ? previous : returnFocus?.current;
            target?.focus();
          }}
          className={cn(
            "fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto",
            "rounded-2xl border border-zinc-200 bg-white text-zinc-900 shadow-2xl outline-none",
            "dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100",
            className,
          )}
        >
          <div className="flex flex-col gap-4 p-6">
            <div className="flex flex-col gap-1.5">
              <RadixDialog.Title className="text-lg font-semibold">{title}</RadixDialog.Title>
              {description ? (
                <RadixDialog.Description className="text-sm text-zinc-600 dark:text-zinc-400">
                  {description}
                </RadixDialog.Description>
              ) : null}
            </div>
            {children}
          </div>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
