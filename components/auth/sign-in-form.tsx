"use client";

import { useActionState } from "react";
import { type AuthFormState, signInWithPassword } from "@/app/sign-in/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { FormError } from "./form-error";

export function SignInForm({
  callbackUrl,
  initialError,
}: {
  callbackUrl: string;
  initialError: string | null;
}) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signInWithPassword, {
    error: initialError,
  });
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormError message={state.error} />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        autoFocus
        defaultValue={state.values?.email}
        error={state.fields?.email}
        data-testid="email"
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={state.fields?.password}
        data-testid="password"
      />
      <Button type="submit" className="mt-2 w-full" disabled={pending} data-testid="submit">
        {pending ? <Spinner /> : null}
        Sign in
      </Button>
    </form>
  );
}
