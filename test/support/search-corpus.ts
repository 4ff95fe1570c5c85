import { sql } from "drizzle-orm";
import type { Database } from "@/db";

const COMMON = [
  "the",
  "and",
  "how",
  "what",
  "code",
  "data",
  "error",
  "function",
  "server",
  "model",
  "query",
  "table",
  "index",
  "value",
  "result",
  "question",
  "answer",
  "thanks",
  "please",
  "help",
];

/** The rare word planted in about one message in `RARE_EVERY`. */
export const RARE_WORD = "xylophone";
export const RARE_EVERY = 5_000;

/**
 * Gives `userId` `conversations` titled conversations of `perConversation` messages each, in
 * two statements (INSERT … SELECT generate_series), for tests and benches that need volume.
 * Each message is twelve words: a third from a small common vocabulary (each such word is in
 * about a sixth of the messages), the rest from 20,000 rarer terms (`term1234`, never a
 * multiple of 3), plus `RARE_WORD` in about one message in `rareEvery` (default `RARE_EVERY`).
 * The newest conversation starts `hoursAgo` hours (plus one) before now, one hour after the one
 * before it. Deterministic: the same call writes the same words.
 */
export async function seedSearchCorpus(
  db: Database,
  {
    userId,
    conversations,
    perConversation,
    hoursAgo = 0,
    rareEvery = RARE_EVERY,
  }: {
    userId: string;
    conversations: number;
    perConversation: number;
    hoursAgo?: number;
    rareEvery?: number;
  },
) {
  const common = sql.raw(`array[${COMMON.map((w) => `'${w}'`).join(",")}]`);
  await db.execute(sql`
    with convs as (
      insert into conversations (user_id, title, last_sequence, created_at, updated_at)
      select ${userId}::uuid, 'Conversation ' || c, ${perConversation}::int,
             now() - make_interval(hours => ${conversations + hoursAgo}::int - c + 1),
             now() - make_interval(hours => ${conversations + hoursAgo}::int - c + 1)
      from generate_series(1, ${conversations}::int) c
      returning id, created_at, (regexp_match(title, '\\d+$'))[1]::int as c
    )
    insert into messages (id, conversation_id, user_id, role, content, sequence, created_at, updated_at)
    select gen_random_uuid(), convs.id, ${userId}::uuid,
           case when s % 2 = 1 then 'user'::message_role else 'assistant'::message_role end,
           (select string_agg(
                     case when h % 3 = 0 then (${common})[1 + (h / 3) % ${COMMON.length}]
                          else 'term' || (h % 30000) end, ' ')
              from (select abs(hashint8((convs.c::bigint * 100003 + s) * 16 + k)) as h
                    from generate_series(1, 12) k) words)
             || case when (convs.c * ${perConversation}::int + s) % ${rareEvery}::int = ${17 % rareEvery}::int
                     then ${` ${RARE_WORD}`} else '' end,
           s, convs.created_at + make_interval(secs => s), convs.created_at + make_interval(secs => s)
    from convs cross join generate_series(1, ${perConversation}::int) s`);
}
