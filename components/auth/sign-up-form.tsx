"use client";

import { useActionState } from "react";
import type { AuthFormState } from "@/app/sign-in/actions";
import { signUp } from "@/app/sign-up/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { FormError } from "./form-error";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<AuthFormState, FormData>(signUp, { error: null });
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <FormError message={state.error} />
      <Field
        label="Name (optional)"
        name="name"
        autoComplete="name"
        maxLength={100}
        defaultValue={state.values?.name}
        error={state.fields?.name}
        data-testid="name"
      />
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        inputMode="email"
        required
        defaultValue={state.values?.email}
        error={state.fields?.email}
        data-testid="email"
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={8}
        hint="At least 8 characters"
        error={state.fields?.password}
        data-testid="password"
      />
      <Button type="submit" className="mt-2 w-full" disabled={pending} data-testid="submit">
        {pending ? <Spinner /> : null}
        Create account
      </Button>
    </form>
  );
}
