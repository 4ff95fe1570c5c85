import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { redirect } from "next/navigation";
import NextAuth from "next-auth";

// Server actions catch sign-in failures by this class; they reach Auth.js only through here.
export { AuthError } from "next-auth";

import type { Adapter, AdapterUser } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { cache } from "react";
import { z } from "zod";
import { authConfig } from "@/auth/config";
import { userFromGithub } from "@/auth/github-profile";
import { countLoginAttempt } from "@/auth/login-limit";
import { verifyPasswordOrDummy } from "@/auth/passwords";
import { decodeSessionToken, encodeSessionToken } from "@/auth/session-token";
import { getUserByEmail, getUserById } from "@/db";
import { authTables } from "@/db/auth-tables";
import { AppError } from "@/lib/errors";
import { emailSchema, normalizeEmail } from "@/lib/validation";
import { database } from "@/server/database";
import { serverEnv } from "@/server/env";
import { clientAddress } from "@/server/remote-address";
import { authSecret } from "@/server/signing-secret";

const credentialsSchema = z.object({
  email: emailSchema,
  password: z.string().min(1).max(200),
});

export const { handlers, auth, signIn, signOut } = NextAuth(async () => {
  const env = serverEnv();
  const db = await database();
  const github = env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET;
  return {
    ...authConfig,
    secret: authSecret(),
    // Auth.js's token format, with the keys derived once per process (auth/session-token.ts).
    jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
    // The adapter is only needed to keep OAuth users and their account links.
    adapter: github ? normalizingEmails(DrizzleAdapter(db, authTables)) : undefined,
    providers: [
      Credentials({
        credentials: { email: { type: "email" }, password: { type: "password" } },
        // Both the HTTP endpoint and the sign-in form's signIn() come through here, so every
        // attempt is counted, by whichever path.
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) return null;
          const { email, password } = parsed.data;
          await countLoginAttempt(db, { email, address: clientAddress(request.headers) });
          const user = await getUserByEmail(db, { email });
          if (!(await verifyPasswordOrDummy(user?.passwordHash, password)) || !user) return null;
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...(github
        ? [
            GitHub({
              clientId: env.AUTH_GITHUB_ID,
              clientSecret: env.AUTH_GITHUB_SECRET,
              profile: userFromGithub,
            }),
          ]
        : []),
    ],
  };
});

/**
 * The adapter with emails normalized on the way in, whatever the provider hands over: a GitHub
 * address in capitals finds (and never duplicates) the same person's account.
 */
function normalizingEmails(adapter: Adapter): Adapter {
  const { createUser, getUserByEmail: findByEmail } = adapter;
  return {
    ...adapter,
    ...(createUser && {
      createUser: (user: AdapterUser) => createUser({ ...user, email: normalizeEmail(user.email) }),
    }),
    ...(findByEmail && {
      getUserByEmail: (email: string) => findByEmail(normalizeEmail(email)),
    }),
  };
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The signed-in user, or null; once per request (React `cache`), however many server
 * components ask.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  // A valid cookie for a user deleted since is no session. A database error is not "signed
  // out": it propagates, and the API answers 503.
  const user = await getUserById(await database(), { userId: id });
  return user ? { id: user.id, email: user.email, name: user.name } : null;
});

/** For API routes: the signed-in user, or an `unauthorized` error (401). */
export async function requireApiUser(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) throw new AppError("unauthorized", "Sign in to continue");
  return user;
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requirePageUser(returnTo: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export function isGithubEnabled(): boolean {
  const env = serverEnv();
  return Boolean(env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET);
}
