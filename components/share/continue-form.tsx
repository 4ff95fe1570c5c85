"use client";

import { useActionState } from "react";
import type { ContinueState } from "@/app/s/[token]/actions";
import { buttonClasses } from "@/components/ui/button";

interface Props {
  token: string;
  /** Signed out, the same action sends the visitor to sign in and back to the link. */
  signedIn: boolean;
  action: (state: ContinueState, formData: FormData) => Promise<ContinueState>;
}

/**
 * "Continue in my account" (or, signed out, "Sign in to continue"), and why it was refused when
 * it was (the copy budget is spent).
 */
export function ContinueForm({ token, signedIn, action }: Props) {
  const [state, submit, pending] = useActionState(action, { error: null });
  return (
    <form action={submit} className="flex items-center gap-2">
      {state.error ? (
        <p
          role="alert"
          data-testid="continue-error"
          className="text-xs text-red-700 dark:text-red-300"
        >
          {state.error}
        </p>
      ) : null}
      <input type="hidden" name="token" value={token} />
      <button
        type="submit"
        disabled={pending}
        data-testid={signedIn ? "continue-in-account" : "sign-in-to-continue"}
        className={buttonClasses(signedIn ? "primary" : "outline", "sm")}
      >
        {signedIn ? "Continue in my account" : "Sign in to continue"}
      </button>
    </form>
  );
}
