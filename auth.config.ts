import type { NextAuthConfig } from "next-auth";

// The part of the Auth.js setup with no Node-only dependencies: session strategy, pages and
// the callbacks that put the user's id in the token and the session.
export const authConfig = {
  pages: { signIn: "/sign-in" },
  // JWT sessions: the cookie carries the session, so servers keep no session state.
  session: { strategy: "jwt" },
  // Self-hosted behind whatever proxy the operator runs; the Host header is trusted.
  trustHost: true,
  providers: [],
  logger: {
    // A wrong or rate-limited password is an answer, not a server fault: Auth.js would log a
    // full stack trace for each one, so sustained guessing would flood the log.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error);
    },
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
