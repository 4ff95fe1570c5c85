import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser, isGithubEnabled } from "@/auth";
import { AuthCard } from "@/components/auth/auth-card";
import { GithubButton } from "@/components/auth/github-button";
import { SignInForm } from "@/components/auth/sign-in-form";
import { returnPath, returnQuery } from "@/server/return-path";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in · Chatkeep" };

// Auth.js sends people here with ?error=… when a sign-in through its own endpoints failed.
const AUTH_ERRORS: Record<string, string> = {
  CredentialsSignin: "Wrong email or password",
  OAuthAccountNotLinked: "This email is already used by another sign-in method",
  AccessDenied: "Access was denied",
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = await returnPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const errorCode = typeof params.error === "string" ? params.error : null;
  const initialError = errorCode
    ? (AUTH_ERRORS[errorCode] ?? "Could not sign in; try again")
    : null;
  const query = returnQuery(callbackUrl);
  return (
    <AuthCard
      title="Welcome back"
      subtitle="Sign in to pick up your conversations."
      footer={
        <>
          New to Chatkeep?{" "}
          <Link
            href={`/sign-up${query}`}
            className="font-medium text-zinc-900 underline underline-offset-4 dark:text-zinc-100"
          >
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm callbackUrl={callbackUrl} initialError={initialError} />
      {isGithubEnabled() ? <GithubButton callbackUrl={callbackUrl} /> : null}
    </AuthCard>
  );
}
