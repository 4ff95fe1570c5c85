import { Skeleton } from "@/components/ui/skeleton";

/** What a conversation looks like while its messages load. */
export function ChatSkeleton() {
  return (
    <div
      className="flex min-h-0 flex-1 flex-col"
      role="status"
      aria-busy="true"
      aria-label="Loading conversation"
    >
      <div className="flex h-14 shrink-0 items-center gap-3 border-b border-zinc-200/70 px-3 dark:border-zinc-800/70">
        <Skeleton className="size-9 rounded-lg" />
        <Skeleton className="h-4 w-48" />
      </div>
      <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-8 px-4 pt-8 sm:px-6">
        <div className="flex justify-end">
          <Skeleton className="h-10 w-2/5 rounded-3xl" />
        </div>
        <div className="flex gap-4">
          <Skeleton className="size-7 shrink-0 rounded-full" />
          <div className="flex flex-1 flex-col gap-2.5">
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-11/12" />
            <Skeleton className="h-4 w-3/4" />
          </div>
        </div>
        <div className="flex justify-end">
          <Skeleton className="h-10 w-1/3 rounded-3xl" />
        </div>
        <div className="flex gap-4">
          <Skeleton className="size-7 shrink-0 rounded-full" />
          <div className="flex flex-1 flex-col gap-2.5">
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-4 w-2/3" />
          </div>
        </div>
      </div>
    </div>
  );
}
