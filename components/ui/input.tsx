import { type InputHTMLAttributes, type Ref, useId } from "react";
import { cn } from "./cn";

export const inputClasses = cn(
  "h-10 w-full rounded-xl border border-zinc-300 bg-white px-3 text-sm text-zinc-900 shadow-xs",
  "placeholder:text-zinc-400 focus:border-blue-500 focus:outline-none focus:ring-3 focus:ring-blue-500/20",
  "aria-invalid:border-red-500 aria-invalid:focus:ring-red-500/20",
  "dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-500",
);

export interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  error?: string | null;
  hint?: string;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled input whose error is announced and tied to it with aria-describedby. */
export function Field({ label, error, hint, className, id, ...props }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const messageId = `${inputId}-message`;
  const message = error ?? hint;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={inputId} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={message ? messageId : undefined}
        className={cn(inputClasses, className)}
        {...props}
      />
      {message ? (
        <p
          id={messageId}
          className={cn(
            "text-xs",
            error ? "text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400",
          )}
        >
          {message}
        </p>
      ) : null}
    </div>
  );
}
