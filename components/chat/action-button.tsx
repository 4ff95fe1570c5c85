"use client";

import type { ReactNode, Ref } from "react";
import { Button } from "@/components/ui/button";
import { BranchIcon } from "@/components/ui/icons";

/** A small icon button under a message; its label is its accessible name and tooltip. */
export function ActionButton({
  testId,
  label,
  disabled,
  onClick,
  children,
  ref,
}: {
  testId: string;
  label: string;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
  ref?: Ref<HTMLButtonElement>;
}) {
  return (
    <Button
      variant="ghost"
      size="icon-sm"
      data-testid={testId}
      aria-label={label}
      title={label}
      disabled={disabled}
      onClick={onClick}
      ref={ref}
    >
      {children}
    </Button>
  );
}

/** Copies the branch up to this message into a new conversation. */
export function ForkButton({
  messageId,
  onFork,
}: {
  messageId: string;
  onFork: (id: string) => void;
}) {
  return (
    <ActionButton testId="fork" label="Branch into new chat" onClick={() => onFork(messageId)}>
      <BranchIcon size={14} />
    </ActionButton>
  );
}
