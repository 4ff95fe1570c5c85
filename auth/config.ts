import type { NextAuthConfig } from "next-auth";
import { logError } from "@/lib/log";

// The part of the Auth.js setup with no Node-only dependencies: session strategy, pages and
// the callbacks that put the user's id in the token and the session.
export const authConfig = {
  pages: { signIn: "/sign-in" },
  // JWT sessions: the cookie carries the session, so servers keep no session state.
  session: { strategy: "jwt" },
  // Self-hosted behind whatever proxy the operator runs; the Host header is trusted.
  trustHost: true,
  providers: [],
  // Auth.js's own logger prints an error's details and metadata (a sign-in's callback URL, which
  // may be a share link's; a provider's answer): this one prints what lib/log.ts allows.
  logger: {
    // A wrong or rate-limited password is an answer, not a server fault: Auth.js would log a
    // full stack trace for each one, so sustained guessing would flood the log.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      logError("[auth]", error);
    },
    warn(code) {
      console.warn(`[auth] warning: ${code}`);
    },
    debug() {},
  },
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) token.sub = user.id;
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
