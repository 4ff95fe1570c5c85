import { randomUUID } from "node:crypto";
import { count, eq, sql } from "drizzle-orm";
import { addMessage, createConversation, createUser, type Database } from "@/db";
import { conversations, messages } from "@/db/schema";

export async function makeUser(db: Database) {
  return createUser(db, { email: `user-${randomUUID()}@example.test`, name: "Test User" });
}

export async function makeConversation(db: Database, userId: string, title?: string) {
  return createConversation(db, { userId, ...(title ? { title } : {}) });
}

/**
 * A new user with one conversation holding `contents` as user messages, in order, each stored
 * in a later millisecond than the one before (search results are newest first by created_at,
 * and a tie would fall to the messages' random ids).
 */
export async function userWithMessages(db: Database, contents: string[], title = "Untitled") {
  const user = await makeUser(db);
  const convo = await makeConversation(db, user.id, title);
  const stored = [];
  for (const content of contents) {
    if (stored.length > 0) await new Promise((resolve) => setTimeout(resolve, 3));
    stored.push(
      await addMessage(db, {
        id: randomUUID(),
        conversationId: convo.id,
        userId: user.id,
        role: "user",
        content,
      }),
    );
  }
  return { userId: user.id, conversationId: convo.id, stored };
}

/** Appends `total` user messages, `parallel` at a time; returns them in sending order. */
export async function seedMessages(
  db: Database,
  {
    userId,
    conversationId,
    total,
    parallel = 20,
  }: {
    userId: string;
    conversationId: string;
    total: number;
    parallel?: number;
  },
) {
  const stored = [];
  for (let start = 0; start < total; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, total - start) }, (_, i) =>
      addMessage(db, {
        id: randomUUID(),
        conversationId,
        userId,
        role: "user",
        content: `message ${start + i}`,
      }),
    );
    stored.push(...(await Promise.all(batch)));
  }
  return stored;
}

export async function countMessages(db: Database, conversationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(eq(messages.conversationId, conversationId));
  return row?.n ?? 0;
}

export async function lastSequence(db: Database, conversationId: string): Promise<number | null> {
  const [row] = await db
    .select({ last: conversations.lastSequence })
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return row?.last ?? null;
}

/**
 * Appends `count` messages to a conversation in one multi-row insert (alternating user and
 * assistant, one second apart, oldest first), numbering them after what is already there: for
 * tests and benches that need volume, not the append path.
 */
export async function seedBulkMessages(
  db: Database,
  {
    conversationId,
    count,
    content,
  }: { conversationId: string; count: number; content: (index: number) => string },
) {
  const [bumped] = await db
    .update(conversations)
    .set({ lastSequence: sql`${conversations.lastSequence} + ${count}` })
    .where(eq(conversations.id, conversationId))
    .returning({ last: conversations.lastSequence, userId: conversations.userId });
  const first = (bumped?.last ?? count) - count + 1;
  const start = Date.now() - count * 1000;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    conversationId,
    userId: bumped?.userId ?? "",
    role: i % 2 === 0 ? ("user" as const) : ("assistant" as const),
    content: content(i),
    sequence: first + i,
    createdAt: new Date(start + i * 1000),
  }));
  // Postgres takes at most 65,535 parameters per statement.
  for (let offset = 0; offset < rows.length; offset += 5_000) {
    await db.insert(messages).values(rows.slice(offset, offset + 5_000));
  }
  return rows;
}
