"use server";

import { headers } from "next/headers";
import { registerBody } from "@/app/api/register/schema";
import type { AuthFormState } from "@/app/sign-in/actions";
import { AuthError, signIn } from "@/auth";
import { registerAccount } from "@/auth/accounts";
import { ConflictError, RateLimitedError } from "@/lib/errors";
import { logError } from "@/lib/log";
import { safeCallbackUrl } from "@/lib/safe-redirect";
import { database } from "@/server/database";
import { clientAddress } from "@/server/remote-address";
import { forgetReturnPath } from "@/server/return-path";

const FIELD_LABELS = { email: "Email", password: "Password", name: "Name" } as const;

export async function signUp(_previous: AuthFormState, form: FormData): Promise<AuthFormState> {
  const name = String(form.get("name") ?? "").trim();
  const raw = {
    email: String(form.get("email") ?? ""),
    password: String(form.get("password") ?? ""),
    ...(name ? { name } : {}),
  };
  const values = { email: raw.email.trim(), name };
  const redirectTo = safeCallbackUrl(form.get("callbackUrl"));

  const parsed = registerBody.safeParse(raw);
  if (!parsed.success) {
    const fields: AuthFormState["fields"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if ((key === "email" || key === "password" || key === "name") && !fields[key]) {
        fields[key] = `${FIELD_LABELS[key]} ${issue.message}`;
      }
    }
    return { error: null, fields, values };
  }

  try {
    await registerAccount(await database(), {
      ...parsed.data,
      address: clientAddress(await headers()),
    });
  } catch (error) {
    if (error instanceof RateLimitedError) return { error: error.message, values };
    if (error instanceof ConflictError) {
      return {
        error: null,
        fields: { email: "An account with this email already exists" },
        values,
      };
    }
    // Anything else is logged here, without the failed statement's parameters (the email and
    // the password's hash): rethrown, Next would log the error's whole message.
    logError("[sign-up] account not created", error);
    return { error: "Your account could not be created right now; try again", values };
  }

  await forgetReturnPath();
  try {
    await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirectTo,
    });
  } catch (error) {
    if (error instanceof AuthError) {
      return { error: "Your account was created, but signing in failed; sign in below", values };
    }
    throw error;
  }
  return { error: null, values };
}
