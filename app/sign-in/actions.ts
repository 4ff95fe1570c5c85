"use server";

import { AuthError, signIn } from "@/auth";
import { LoginRateLimitedError } from "@/auth/login-limit";
import { safeCallbackUrl } from "@/lib/safe-redirect";
import { forgetReturnPath } from "@/server/return-path";

export interface AuthFormState {
  error: string | null;
  fields?: Partial<Record<"email" | "password" | "name", string>>;
  values?: { email?: string; name?: string };
}

export async function signInWithPassword(
  _previous: AuthFormState,
  form: FormData,
): Promise<AuthFormState> {
  const email = String(form.get("email") ?? "").trim();
  const password = String(form.get("password") ?? "");
  const redirectTo = safeCallbackUrl(form.get("callbackUrl"));
  const values = { email };
  const fields: AuthFormState["fields"] = {};
  if (!email) fields.email = "Enter your email";
  if (!password) fields.password = "Enter your password";
  if (fields.email || fields.password) return { error: null, fields, values };

  // The form carries the way back from here on (and again on a retry).
  await forgetReturnPath();
  try {
    // Succeeds by redirecting (a thrown redirect that must not be caught below).
    await signIn("credentials", { email, password, redirectTo });
  } catch (error) {
    if (error instanceof LoginRateLimitedError) {
      return {
        error: `Too many attempts, try again in ${error.retryAfterSeconds} s`,
        values,
      };
    }
    if (error instanceof AuthError) {
      return {
        error:
          error.type === "CredentialsSignin"
            ? "Wrong email or password"
            : "Could not sign in right now; try again",
        values,
      };
    }
    throw error;
  }
  return { error: null, values };
}

export async function signInWithGithub(form: FormData) {
  await forgetReturnPath();
  await signIn("github", { redirectTo: safeCallbackUrl(form.get("callbackUrl")) });
}
