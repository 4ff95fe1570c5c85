import type { Metadata } from "next";
import { requirePageUser } from "@/auth";
import { ChatHeader } from "@/components/chat/chat-header";
import { ImportSection } from "@/components/settings/import-section";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "Settings · Chatkeep" };

export default async function SettingsPage() {
  await requirePageUser("/settings");
  return (
    <main className="flex min-h-0 flex-1 flex-col" aria-label="Settings">
      <ChatHeader title="Settings" />
      <div className="min-h-0 flex-1 overflow-y-auto">
        <div className="mx-auto max-w-2xl space-y-10 px-4 py-8">
          <ImportSection />
        </div>
      </div>
    </main>
  );
}
