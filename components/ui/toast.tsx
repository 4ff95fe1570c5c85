"use client";

import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
} from "react";
import { cn } from "./cn";
import { AlertIcon, CheckIcon, CloseIcon } from "./icons";

type ToastKind = "error" | "success" | "info";

interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  action?: { label: string; onClick: () => void };
}

type ShowToast = (toast: Omit<Toast, "id">) => void;

const ToastContext = createContext<ShowToast | null>(null);

const DURATION_MS = 5_000;
const MAX_VISIBLE = 4;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((current) => current.filter((toast) => toast.id !== id));
  }, []);

  const show = useCallback<ShowToast>(
    (toast) => {
      const id = nextId.current++;
      setToasts((current) => {
        // The same message again (a retry loop failing) is not stacked twice.
        const rest = current.filter((t) => t.message !== toast.message);
        return [...rest, { ...toast, id }].slice(-MAX_VISIBLE);
      });
      timers.current.set(
        id,
        setTimeout(() => dismiss(id), toast.kind === "error" ? DURATION_MS * 1.6 : DURATION_MS),
      );
    },
    [dismiss],
  );

  return (
    <ToastContext.Provider value={show}>
      {children}
      <section
        aria-label="Notifications"
        className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-4 sm:items-end"
      >
        {toasts.map((toast) => (
          <div
            key={toast.id}
            role={toast.kind === "error" ? "alert" : "status"}
            data-testid="toast"
            data-kind={toast.kind}
            className={cn(
              "pointer-events-auto flex w-full max-w-sm animate-[toast-in_160ms_ease-out] items-start gap-3 rounded-xl border px-4 py-3 text-sm shadow-lg",
              "border-zinc-200 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100",
            )}
          >
            <span
              className={cn(
                "mt-0.5",
                toast.kind === "error" && "text-red-600 dark:text-red-400",
                toast.kind === "success" && "text-emerald-600 dark:text-emerald-400",
                toast.kind === "info" && "text-zinc-500",
              )}
            >
              {toast.kind === "success" ? <CheckIcon size={16} /> : <AlertIcon size={16} />}
            </span>
            <p className="min-w-0 flex-1 break-words">{toast.message}</p>
            {toast.action ? (
              <button
                type="button"
                className="shrink-0 rounded font-medium text-blue-600 hover:underline focus-visible:outline-2 focus-visible:outline-blue-500 dark:text-blue-400"
                onClick={() => {
                  toast.action?.onClick();
                  dismiss(toast.id);
                }}
              >
                {toast.action.label}
              </button>
            ) : null}
            <button
              type="button"
              aria-label="Dismiss notification"
              className="-mr-1 shrink-0 rounded p-0.5 text-zinc-400 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-blue-500 dark:hover:text-zinc-200"
              onClick={() => dismiss(toast.id)}
            >
              <CloseIcon size={14} />
            </button>
          </div>
        ))}
      </section>
    </ToastContext.Provider>
  );
}

/** Shows a toast; outside a ToastProvider it does nothing rather than crash. */
export function useToast() {
  const show = useContext(ToastContext);
  return useMemo(() => {
    const toast = show ?? (() => {});
    return {
      error: (message: string, action?: Toast["action"]) =>
        toast({ kind: "error", message, action }),
      success: (message: string) => toast({ kind: "success", message }),
      info: (message: string) => toast({ kind: "info", message }),
    };
  }, [show]);
}
