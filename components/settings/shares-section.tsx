"use client";

import Link from "next/link";
import { useState } from "react";
import { listShares, revokeShare, type ShareItem } from "@/client/shares-api";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Spinner } from "@/components/ui/spinner";
import { useToast } from "@/components/ui/toast";
import { useOrigin } from "@/components/ui/use-origin";

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/** The person's share links, newest first, each with its link and a Revoke button. */
export function SharesSection({
  initialShares,
  initialCursor,
}: {
  initialShares: ShareItem[];
  initialCursor: string | null;
}) {
  const [shares, setShares] = useState(initialShares);
  const [cursor, setCursor] = useState(initialCursor);
  const [loading, setLoading] = useState(false);
  const toast = useToast();

  async function loadMore() {
    setLoading(true);
    try {
      const page = await listShares(cursor);
      setShares((current) => [
        ...current,
        ...page.items.filter((item) => !current.some((known) => known.id === item.id)),
      ]);
      setCursor(page.nextCursor);
    } catch (error) {
      toast.error((error as Error).message);
    } finally {
      setLoading(false);
    }
  }

  return (
    <section aria-labelledby="shares-heading" className="flex flex-col gap-3">
      <div>
        <h2 id="shares-heading" className="text-base font-semibold">
          Shared links
        </h2>
        <p className="text-sm text-zinc-500 dark:text-zinc-400">
          Each link shows its conversation as it was when shared. Revoking a link makes it show “not
          found” from then on.
        </p>
      </div>
      {shares.length === 0 ? (
        <p data-testid="no-shares" className="text-sm text-zinc-500 dark:text-zinc-400">
          You have not shared any conversation. Use “Share…” in a conversation’s menu.
        </p>
      ) : (
        <ul className="flex flex-col divide-y divide-zinc-200 rounded-xl border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
          {shares.map((share) => (
            <ShareRow
              key={share.id}
              share={share}
              onRevoked={() => setShares((current) => current.filter((s) => s.id !== share.id))}
            />
          ))}
        </ul>
      )}
      {cursor ? (
        <Button variant="outline" className="self-start" disabled={loading} onClick={loadMore}>
          {loading ? <Spinner /> : null}
          Show more
        </Button>
      ) : null}
    </section>
  );
}

function ShareRow({ share, onRevoked }: { share: ShareItem; onRevoked: () => void }) {
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const origin = useOrigin();
  const url = share.path ? `${origin}${share.path}` : null;

  async function revoke() {
    setBusy(true);
    try {
      await revokeShare(share.id);
      onRevoked();
      toast.success("Link revoked");
    } catch (error) {
      // Already gone (revoked in another tab): what was asked for holds.
      if ((error as { status?: number }).status === 404) onRevoked();
      else toast.error((error as Error).message);
      setBusy(false);
    }
  }

  return (
    <li data-testid="share-row" data-share-id={share.id} className="flex items-center gap-3 p-3">
      <div className="min-w-0 flex-1">
        <Link
          href={`/c/${share.conversationId}`}
          className="block truncate text-sm font-medium hover:underline"
        >
          {share.title ?? "Untitled conversation"}
        </Link>
        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
          Shared{" "}
          <time dateTime={share.createdAt}>{dateFormat.format(new Date(share.createdAt))}</time>
          {" · "}
          {url ? (
            <a href={share.path ?? undefined} data-testid="share-row-link" className="underline">
              {url}
            </a>
          ) : (
            "link no longer shown (the server's key changed)"
          )}
        </p>
      </div>
      {url ? <CopyButton text={url} label="Copy link" /> : null}
      <Button
        variant="outline"
        size="sm"
        data-testid="revoke-share"
        disabled={busy}
        onClick={revoke}
      >
        {busy ? <Spinner /> : null}
        Revoke
      </Button>
    </li>
  );
}
