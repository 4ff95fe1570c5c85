import { signInWithGithub } from "@/app/sign-in/actions";
import { buttonClasses } from "@/components/ui/button";

export function GithubButton({ callbackUrl }: { callbackUrl: string }) {
  return (
    <>
      <div className="my-5 flex items-center gap-3 text-xs text-zinc-400">
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
        or
        <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
      </div>
      <form action={signInWithGithub}>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <button
          type="submit"
          data-testid="github-sign-in"
          className={buttonClasses("outline", "md", "w-full")}
        >
          Continue with GitHub
        </button>
      </form>
    </>
  );
}
