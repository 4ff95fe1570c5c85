import { cookies } from "next/headers";
import type { ReactNode } from "react";
import { toConversationJson } from "@/app/api/conversations/json";
import { currentUser } from "@/auth";
import { validTimeZone } from "@/client/date-groups";
import { AppShell } from "@/components/chat/app-shell";
import { listConversations } from "@/db";
import { database } from "@/server/database";

export const dynamic = "force-dynamic";

const SIDEBAR_PAGE = 30;

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // Signed out: the page redirects to sign-in with its own address to come back to.
  if (!user) return children;

  const [page, cookieStore] = await Promise.all([
    listConversations(await database(), { userId: user.id, limit: SIDEBAR_PAGE }),
    cookies(),
  ]);
  return (
    <AppShell
      user={user}
      initialConversations={page.items.map(toConversationJson)}
      nextCursor={page.nextCursor}
      timeZone={validTimeZone(cookieStore.get("tz")?.value)}
      renderedAt={Date.now()}
      initialCollapsed={cookieStore.get("sidebar")?.value === "collapsed"}
    >
      {children}
    </AppShell>
  );
}
