"use server";

import { headers } from "next/headers";
import { AuthError } from "next-auth";
import { registerBody } from "@/app/api/register/schema";
import type { AuthFormState } from "@/app/sign-in/actions";
import { signIn } from "@/auth";
import { createUser, hitRateLimit } from "@/db";
import { database } from "@/db/instance";
import { safeCallbackUrl } from "@/lib/client/safe-redirect";
import { ConflictError } from "@/lib/errors";
import { hashPassword } from "@/lib/passwords";

// The same budget as POST /api/register, under the same key: the form is no way around it.
const REGISTRATIONS_PER_HOUR_PER_ADDRESS = 20;

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

  const db = await database();
  const address = (await headers()).get("x-forwarded-for")?.split(",")[0]?.trim() || "local";
  const limit = await hitRateLimit(db, {
    key: `register:${address}`,
    limit: REGISTRATIONS_PER_HOUR_PER_ADDRESS,
    windowMs: 3_600_000,
  });
  if (!limit.allowed) return { error: "Too many sign-ups from here; try again later", values };

  try {
    await createUser(db, {
      email: parsed.data.email,
      name: parsed.data.name,
      passwordHash: await hashPassword(parsed.data.password),
    });
  } catch (error) {
    if (error instanceof ConflictError) {
      return {
        error: null,
        fields: { email: "An account with this email already exists" },
        values,
      };
    }
    throw error;
  }

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
