import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main
      data-testid="not-found"
      className="flex min-h-dvh flex-col items-center justify-center gap-3 px-6 text-center"
    >
      <p className="text-5xl font-semibold tracking-tight text-zinc-300 dark:text-zinc-700">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="max-w-sm text-sm text-zinc-500 dark:text-zinc-400">
        There is nothing at this address.
      </p>
      <Link href="/" className={buttonClasses("primary", "md", "mt-2")}>
        Go to Chatkeep
      </Link>
    </main>
  );
}
