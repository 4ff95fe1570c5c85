import type { Metadata } from "next";
import { toShareJson } from "@/app/api/shares/json";
import { requirePageUser } from "@/auth";
import { ChatHeader } from "@/components/chat/chat-header";
import { ImportSection } from "@/components/settings/import-section";
import { SharesSection } from "@/components/settings/shares-section";
import { listShares } from "@/db";
import { database } from "@/server/database";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Settings · Chatkeep" };

export default async function SettingsPage() {
  const user = await requirePageUser("/settings");
  const shares = await listShares(await database(), { userId: user.id });
  return (
    <main className="flex min-h-0 flex-1 flex-col" aria-label="Settings">
      <ChatHeader title="Settings" />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto flex w-full max-w-3xl flex-col gap-10 px-4 py-8">
          <ImportSection />
          <SharesSection
            initialShares={shares.items.map(toShareJson)}
            initialCursor={shares.nextCursor}
          />
        </div>
      </div>
    </main>
  );
}
