import "server-only";
import { sql } from "drizzle-orm";
import { depthsParams, type Span } from "./branches";
import type { Database } from "./client";
import { queryRows } from "./query-rows";

/**
 * The id a copied message gets: derived from a seed naming the copy (the new conversation's id,
 * and for a fork the message it ends at too) and the original id, shaped as UUID version 8
 * (custom). Deriving it the same way for a reply's link to its question, and for a message's
 * parent, carries those over without a lookup; and a retry can recognise its own copy.
 */
export function copiedId(seed: string, original: unknown) {
  return sql`overlay(overlay(md5(${seed}::text || ':' || ${original}::text) placing '8' from 13 for 1) placing '8' from 17 for 1)::uuid`;
}

/**
 * Copies the path from the root down to `depth` along `spans` (a branch as db/branches.ts reads
 * it) into the new, empty conversation `into`: "Continue in my account" and "Branch into a new
 * chat". A reply still being written (live: streaming with a fresh lease; only ever the leaf of
 * its branch) is left out. The copy is a line, so its tree columns are written here, as the
 * import writes them, instead of by the insert trigger: one segment taking the conversation's id,
 * depth = sequence = the position, each message the first child of the one before; the
 * conversation's current leaf is the last copied message.
 *
 * One statement whatever the length: the path's messages are read with one index range scan on
 * (segment_id, depth) per segment and written by INSERT … SELECT, never loaded into the app.
 * Answers how many messages were copied.
 */
export async function copyPath(
  db: Database,
  source: { spans: Span[]; depth: number },
  into: { conversationId: string; userId: string; idSeed?: string },
): Promise<number> {
  const { segments, froms, tos } = depthsParams(source.spans, 1, source.depth);
  const { conversationId, userId, idSeed = conversationId } = into;
  const copied = (column: unknown) => copiedId(idSeed, column);
  const [row] = await queryRows<{ count: number }>(
    db,
    sql`with path as (
      select m.id, m.role, m.content, m.status, m.finish_reason, m.model, m.endpoint, m.input_tokens,
        m.output_tokens, m.error, m.reply_to, m.created_at,
        row_number() over (order by m.depth)::int as position,
        lag(m.id) over (order by m.depth) as previous
      from unnest(${segments}::uuid[], ${froms}::int[], ${tos}::int[])
        as span (segment_id, from_depth, to_depth)
      join messages as m
        on m.segment_id = span.segment_id and m.depth between span.from_depth and span.to_depth
      where not (m.status = 'streaming' and coalesce(m.lease_expires_at >= now(), false))
    ), segment as (
      insert into branch_segments (id, conversation_id, user_id)
      select ${conversationId}::uuid, ${conversationId}::uuid, ${userId}::uuid
      where exists (select 1 from path)
      returning id
    ), copy as (
      insert into messages (id, conversation_id, user_id, role, content, sequence, status,
        finish_reason, model, endpoint, input_tokens, output_tokens, error, reply_to, created_at,
        parent_id, depth, sibling_index, child_count, segment_id)
      select ${copied(sql`p.id`)}, ${conversationId}::uuid, ${userId}::uuid, p.role, p.content,
        p.position,
        -- Live replies are left out above, so a streaming row here lost its server.
        case when p.status = 'streaming' then 'interrupted'::message_status else p.status end,
        p.finish_reason, p.model, p.endpoint, p.input_tokens, p.output_tokens, p.error,
        -- A reply's question lies on its path; a link to anything else is dropped.
        case when p.reply_to in (select id from path) then ${copied(sql`p.reply_to`)} end,
        p.created_at,
        case when p.previous is not null then ${copied(sql`p.previous`)} end,
        p.position, 0,
        case when p.position < (select count(*) from path) then 1 else 0 end,
        ${conversationId}::uuid
      from path as p
      returning id, sequence
    ), conversation as (
      update conversations set
        last_sequence = (select count(*) from copy),
        current_leaf_id = (select id from copy order by sequence desc limit 1),
        root_count = (select least(count(*), 1) from copy)
      where id = ${conversationId}::uuid and user_id = ${userId}::uuid
      returning id
    )
    select count(*)::int as count from copy`,
  );
  return row?.count ?? 0;
}
