import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Database } from "@/db";

// A conversation tree built in memory with the rules of the messages_with_tree_position trigger
// (migration 0007), then written in bulk with its tree columns filled in, so the trigger stays
// out of the way: for benches that need 100,000 messages fast, not the append path.

export type TreeMessage = {
  id: string;
  parentId: string | null;
  depth: number;
  siblingIndex: number;
  childCount: number;
  segmentId: string;
  sequence: number;
};

type Segment = {
  id: string;
  parentId: string | null;
  forkDepth: number;
  ancestors: string[];
  until: number[];
};

export class TreeBuilder {
  readonly messages: TreeMessage[] = [];
  readonly segments: Segment[] = [];
  private readonly byId = new Map<string, TreeMessage>();
  private readonly segmentById = new Map<string, Segment>();
  private roots = 0;

  /** A new message below `parent` (a root when null), placed as the trigger would place it. */
  add(parent: TreeMessage | null): TreeMessage {
    let segmentId: string;
    let siblingIndex: number;
    if (!parent) {
      siblingIndex = this.roots++;
      segmentId = this.newSegment(null, 0, [], []).id;
    } else {
      siblingIndex = parent.childCount++;
      if (siblingIndex === 0) {
        segmentId = parent.segmentId;
      } else {
        const from = this.segmentById.get(parent.segmentId) as Segment;
        segmentId = this.newSegment(
          from.id,
          parent.depth,
          [...from.ancestors, from.id],
          [...from.until, parent.depth],
        ).id;
      }
    }
    const message: TreeMessage = {
      id: randomUUID(),
      parentId: parent?.id ?? null,
      depth: (parent?.depth ?? 0) + 1,
      siblingIndex,
      childCount: 0,
      segmentId,
      sequence: this.messages.length + 1,
    };
    this.messages.push(message);
    this.byId.set(message.id, message);
    return message;
  }

  /** `length` messages in a line below `parent`; returns them in order. */
  line(parent: TreeMessage | null, length: number): TreeMessage[] {
    const added: TreeMessage[] = [];
    let last = parent;
    for (let i = 0; i < length; i++) {
      last = this.add(last);
      added.push(last);
    }
    return added;
  }

  private newSegment(
    parentId: string | null,
    forkDepth: number,
    ancestors: string[],
    until: number[],
  ) {
    const segment = { id: randomUUID(), parentId, forkDepth, ancestors, until };
    this.segments.push(segment);
    this.segmentById.set(segment.id, segment);
    return segment;
  }
}

const BATCH = 4_000;
const pgArray = (values: Array<string | number>) => `{${values.join(",")}}`;

/** Writes the tree into a new conversation of `userId`, whose current leaf becomes `leafId`. */
export async function writeTree(
  db: Database,
  tree: TreeBuilder,
  { userId, conversationId, leafId }: { userId: string; conversationId: string; leafId: string },
) {
  for (let start = 0; start < tree.segments.length; start += BATCH) {
    const rows = tree.segments.slice(start, start + BATCH).map(
      (s) =>
        sql`(${s.id}::uuid, ${conversationId}::uuid, ${userId}::uuid, ${s.parentId}::uuid, ${s.forkDepth}::int,
          ${pgArray(s.ancestors)}::uuid[], ${pgArray(s.until)}::int[])`,
    );
    await db.execute(sql`insert into branch_segments (id, conversation_id, user_id,
      parent_segment_id, fork_depth, ancestor_ids, ancestor_until) values ${sql.join(rows, sql`, `)}`);
  }
  for (let start = 0; start < tree.messages.length; start += BATCH) {
    const rows = tree.messages.slice(start, start + BATCH).map(
      (m) =>
        sql`(${m.id}::uuid, ${conversationId}::uuid, ${userId}::uuid,
          ${m.sequence % 2 ? "user" : "assistant"}::message_role,
          ${`Message number ${m.sequence}: ${"lorem ipsum ".repeat(20)}`}, ${m.sequence}::int,
          ${m.parentId}::uuid, ${m.depth}::int, ${m.siblingIndex}::int, ${m.childCount}::int, ${m.segmentId}::uuid)`,
    );
    await db.execute(sql`insert into messages (id, conversation_id, user_id, role, content, sequence,
      parent_id, depth, sibling_index, child_count, segment_id) values ${sql.join(rows, sql`, `)}`);
  }
  await db.execute(sql`update conversations set last_sequence = ${tree.messages.length},
    root_count = 1, current_leaf_id = ${leafId} where id = ${conversationId}`);
}
