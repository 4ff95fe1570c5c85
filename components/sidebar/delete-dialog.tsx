"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Spinner } from "@/components/ui/spinner";

export function DeleteDialog({
  open,
  title,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  title: string;
  onCancel: () => void;
  onConfirm: () => Promise<void>;
}) {
  const [busy, setBusy] = useState(false);
  // The safe answer has the focus: Enter straight after opening keeps the conversation.
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onClose={() => {
        if (!busy) onCancel();
      }}
      title="Delete conversation?"
      testId="delete-dialog"
      initialFocus={cancelRef}
      description={
        <>
          This deletes{" "}
          <strong className="font-medium text-zinc-900 dark:text-zinc-100">{title}</strong> and all
          its messages. It cannot be undone.
        </>
      }
    >
      <div className="flex justify-end gap-2">
        <Button ref={cancelRef} variant="outline" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="danger"
          data-testid="confirm-delete"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } finally {
              setBusy(false);
            }
          }}
        >
          {busy ? <Spinner /> : null}
          Delete
        </Button>
      </div>
    </Dialog>
  );
}
