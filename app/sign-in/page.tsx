export default function SignInPage() {
  return (
    <main className="mx-auto flex min-h-dvh max-w-sm flex-col justify-center gap-4 p-8">
      <h1 className="text-2xl font-semibold">Sign in to Chatkeep</h1>
    </main>
  );
}
