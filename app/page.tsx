import { requirePageUser } from "@/auth";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requirePageUser("/");
  return (
    <main className="mx-auto flex min-h-dvh max-w-xl flex-col items-center justify-center gap-3 p-8 text-center">
      <h1 className="text-3xl font-semibold tracking-tight">Chatkeep</h1>
      <p className="text-zinc-600 dark:text-zinc-400">Signed in as {user.email}.</p>
    </main>
  );
}
