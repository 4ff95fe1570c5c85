// The conversations the history-read baseline reads: one per bench person, of 52 messages (26
// turns of the turns section's size), stored straight through the repository's import, which
// writes a conversation in a few statements where 26 turns over HTTP would take a minute.
import { randomUUID } from "node:crypto";
import { getUserByEmail, importConversation, openDatabase } from "@/db";
import type { ApiClient } from "@/test/support/api-client";

export const HISTORY_MESSAGES = 52;

const REPLY = "the model answers with a few plain words of ordinary length ".repeat(3).trim();

/** Returns each person's conversation id, in the order of `emails`. */
export async function seedHistories(databaseUrl: string, emails: string[]): Promise<string[]> {
  const handle = await openDatabase({ url: databaseUrl, driver: "pg" });
  try {
    const ids: string[] = [];
    const start = Date.now() - HISTORY_MESSAGES * 1000;
    for (const email of emails) {
      const user = await getUserByEmail(handle.db, { email });
      if (!user) throw new Error("a bench person has no account");
      const id = randomUUID();
      await importConversation(handle.db, {
        userId: user.id,
        conversation: {
          id,
          title: "History",
          createdAt: new Date(start),
          updatedAt: new Date(start + HISTORY_MESSAGES * 1000),
          messages: Array.from({ length: HISTORY_MESSAGES }, (_, i) => {
            const assistant = i % 2 === 1;
            const at = new Date(start + i * 1000);
            return {
              id: randomUUID(),
              role: assistant ? ("assistant" as const) : ("user" as const),
              content: assistant ? REPLY : `Turn ${i / 2} of the history`,
              status: "complete" as const,
              finishReason: assistant ? "stop" : null,
              model: assistant ? "bench" : null,
              inputTokens: assistant ? 100 : null,
              outputTokens: assistant ? 30 : null,
              error: null,
              replyTo: null,
              createdAt: at,
              updatedAt: at,
            };
          }),
        },
      });
      ids.push(id);
    }
    return ids;
  } finally {
    await handle.close();
  }
}

/** Fails the run when the history read would not read a full page: its baseline would be wrong. */
export async function checkHistoryPage(client: ApiClient, conversationId: string) {
  const response = await client.fetch(`/api/conversations/${conversationId}/messages?limit=50`);
  const page = (await response.json()) as { items?: unknown[] };
  if (page.items?.length !== 50)
    throw new Error(`history read: ${response.status}, ${page.items?.length} messages, not 50`);
}
