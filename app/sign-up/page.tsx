import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { currentUser, isGithubEnabled } from "@/auth";
import { AuthCard } from "@/components/auth/auth-card";
import { GithubButton } from "@/components/auth/github-button";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { returnPath, returnQuery } from "@/server/return-path";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Create an account · Chatkeep" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SignUpPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const callbackUrl = await returnPath(params.callbackUrl);
  if (await currentUser()) redirect(callbackUrl);
  const query = returnQuery(callbackUrl);
  return (
    <AuthCard
      title="Create your account"
      subtitle="Your conversations are saved as you go."
      footer={
        <>
          Already have an account?{" "}
          <Link
            href={`/sign-in${query}`}
            className="font-medium text-zinc-900 underline underline-offset-4 dark:text-zinc-100"
          >
            Sign in
          </Link>
        </>
      }
    >
      <SignUpForm callbackUrl={callbackUrl} />
      {isGithubEnabled() ? <GithubButton callbackUrl={callbackUrl} /> : null}
    </AuthCard>
  );
}
