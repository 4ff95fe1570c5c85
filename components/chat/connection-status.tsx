import { AlertIcon } from "@/components/ui/icons";

/**
 * Says so while the server cannot be reached or cannot serve (its database down). The live
 * region stays in the page, empty when all is well, so that screen readers announce the change.
 */
export function ConnectionStatus({ unreachable }: { unreachable: boolean }) {
  return (
    <div role="status" data-testid="connection-status" className="empty:hidden">
      {unreachable ? (
        <p className="mb-2 flex items-center justify-center gap-1.5 rounded-xl bg-amber-50 px-3 py-2 text-xs text-amber-800 dark:bg-amber-500/10 dark:text-amber-300">
          <AlertIcon size={13} />
          The server is unreachable. Unsent messages are kept and go out when it is back.
        </p>
      ) : null}
    </div>
  );
}
