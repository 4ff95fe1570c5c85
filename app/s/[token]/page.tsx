import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { toMessageJson } from "@/app/api/conversations/json";
import { currentUser } from "@/auth";
import { SharedConversationView } from "@/components/share/shared-conversation-view";
import { getSharedMessages } from "@/db";
import { database } from "@/server/database";
import { sharePath } from "@/server/share-token";
import { continueSharedConversation } from "./actions";
import { openShare } from "./load";

export const dynamic = "force-dynamic";

// Messages per page of a shared conversation; the rest is a link away, never loaded at once.
const SHARED_PAGE = 100;

type Params = Promise<{ token: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

// A bad `after` is not worth an error page: the conversation opens at its start.
// `after` is a depth on the shared branch (a sequence on links from before branches: on a line
// the two are equal).
const afterParam = z.coerce.number().int().min(0).max(2_147_483_647).catch(0);

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const share = await openShare((await params).token);
  return {
    title: share?.title ? `${share.title} · Chatkeep` : "Chatkeep",
    // The header X-Robots-Tag (proxy.ts) says the same for every /s/ response, 404s included.
    robots: { index: false, follow: false },
  };
}

// Public: no sign-in needed. An unknown, malformed or revoked token and a deleted conversation
// all end in the same notFound(), before anything streams, so they answer the same 404.
export default async function SharedConversationPage({
  params,
  searchParams,
}: {
  params: Params;
  searchParams: SearchParams;
}) {
  const { token } = await params;
  const share = await openShare(token);
  if (!share) notFound();
  const after = afterParam.parse((await searchParams).after);
  const [page, viewer] = await Promise.all([
    getSharedMessages(await database(), {
      tokenHash: share.tokenHash,
      after,
      limit: SHARED_PAGE,
    }),
    currentUser(),
  ]);
  const last = page.items.at(-1);
  return (
    <SharedConversationView
      title={share.title}
      sharedAt={share.sharedAt.toISOString()}
      messages={page.items.map(toMessageJson)}
      newerHref={page.hasMore && last ? `${sharePath(token)}?after=${last.depth}` : null}
      startHref={after > 0 ? sharePath(token) : null}
      token={token}
      signedIn={viewer !== null}
      continueAction={continueSharedConversation}
    />
  );
}
