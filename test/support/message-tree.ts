import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { branchSegments, conversations, messages } from "@/db/schema";

/**
 * The whole tree as its contents say it, without ids: every message's place (parent, depth,
 * version index, children, sequence, the first message of its segment) and every segment's
 * ancestry, by first messages too. Two trees built by different writers compare equal.
 */
export async function treeOf(db: Database, conversationId: string) {
  const rows = await db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(messages.sequence);
  const contentOf = new Map(rows.map((row) => [row.id, row.content]));
  const segmentHead = new Map<string, string>();
  for (const row of [...rows].sort((a, b) => a.depth - b.depth)) {
    if (!segmentHead.has(row.segmentId)) segmentHead.set(row.segmentId, row.content);
  }
  const segments = await db
    .select()
    .from(branchSegments)
    .where(eq(branchSegments.conversationId, conversationId));
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.id, conversationId));
  return {
    messages: rows.map((row) => ({
      content: row.content,
      parent: row.parentId === null ? null : contentOf.get(row.parentId),
      depth: row.depth,
      versionIndex: row.siblingIndex,
      children: row.childCount,
      sequence: row.sequence,
      segment: segmentHead.get(row.segmentId),
    })),
    segments: segments
      .map((segment) => ({
        head: segmentHead.get(segment.id),
        continues: segment.ancestorIds.map((id) => segmentHead.get(id)),
        until: segment.ancestorUntil,
        forkDepth: segment.forkDepth,
        parent: segment.parentSegmentId ? segmentHead.get(segment.parentSegmentId) : null,
      }))
      .sort((a, b) => String(a.head).localeCompare(String(b.head))),
    rootCount: conversation?.rootCount,
    lastSequence: conversation?.lastSequence,
    currentLeaf: conversation?.currentLeafId ? contentOf.get(conversation.currentLeafId) : null,
  };
}
