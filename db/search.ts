import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { DEFAULT_SEARCH_LANGUAGE, SEARCH_LANGUAGES } from "@/lib/search-language";
import { searchQuerySchema, splitSearchQuery } from "@/lib/search-query";
import { type SnippetSegment, snippetSegments } from "@/lib/search-snippet";
import { cursorSchema, idSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { decodeKeyset, keysetPage, pastKeyset } from "./cursor";
import { excerpt, headline, lexemeAlternatives, unmask } from "./search-headline";

export const SEARCH_PAGE_DEFAULT = 20;
export const SEARCH_PAGE_MAX = 50;

/**
 * One search result. A message that has the words carries `message`; a conversation whose
 * title has them is a result of its own with `message: null`, dated by the conversation's
 * creation, so it sorts among the messages and pages with them.
 */
export interface SearchHit {
  conversation: { id: string; title: string | null };
  message: { id: string; role: "user" | "assistant"; sequence: number } | null;
  createdAt: Date;
  snippet: SnippetSegment[];
}

const searchInput = z.object({
  userId: idSchema,
  query: searchQuerySchema,
  cursor: cursorSchema.optional(),
  limit: z.number().int().min(1).max(SEARCH_PAGE_MAX).default(SEARCH_PAGE_DEFAULT),
  language: z.enum(SEARCH_LANGUAGES).default(DEFAULT_SEARCH_LANGUAGE),
});

export type SearchInput = z.input<typeof searchInput>;

/**
 * The words typed, as a tsquery: `websearch_to_tsquery` for what is finished (quotes for
 * phrases, `-word` to exclude, `or`), and the word still being typed as a prefix. Both are
 * built by Postgres from parameters; the prefix is letters and digits only, quoted by
 * `quote_literal`, so nothing typed can be read as tsquery syntax.
 */
function tsquery(config: SQL, query: string): SQL {
  const { complete, prefix } = splitSearchQuery(query);
  const parts: SQL[] = [];
  if (complete.trim()) parts.push(sql`websearch_to_tsquery(${config}, ${complete})`);
  if (prefix) parts.push(sql`to_tsquery(${config}, quote_literal(${prefix}) || ':*')`);
  if (parts.length === 0) return sql`''::tsquery`;
  return sql.join(parts, sql` && `);
}

interface HitRow {
  message_id: string | null;
  role: "user" | "assistant" | null;
  sequence: number | null;
  conversation_id: string;
  title: string | null;
  created_at_iso: string;
  snippet: string;
}

/**
 * The user's messages (and conversation titles) that have the words, newest first, one keyset
 * page at a time on (created_at, id). Ownership is in the query: every branch reads rows whose
 * `user_id` is the caller's (a message's is its conversation's owner, held so by a foreign key).
 * A reply is found once it settles: while it streams its words are not indexed.
 */
export async function searchMessages(
  db: Database,
  input: SearchInput,
): Promise<{ items: SearchHit[]; nextCursor: string | null }> {
  const { limit } = parseInput(searchInput, input);
  const result: unknown = await db.execute(searchStatement(input));
  const rows = (Array.isArray(result) ? result : (result as { rows: HitRow[] }).rows) as HitRow[];
  return keysetPage(rows.map(toHit), limit, (last) => ({
    at: last.createdAt,
    id: last.message?.id ?? last.conversation.id,
  }));
}

/** The search as one statement, for `searchMessages` and for tests that read its plan. */
export function searchStatement(input: SearchInput): SQL {
  const { userId, query, cursor, limit, language } = parseInput(searchInput, input);
  const after = cursor ? decodeKeyset(cursor) : null;
  const config = sql`${language}::regconfig`;
  const matches = tsquery(config, query);
  const before = (at: SQL, id: SQL) => {
    const past = pastKeyset(at, id, after, "newest first");
    return past ? sql`and ${past}` : sql``;
  };
  // Each branch reads only the user's rows (the indexes lead with user_id) and is limited on
  // its own before the merge; titles and snippets are made only for the rows of the page.
  return sql`
    with hits as (
      (select m.id as message_id, m.role::text as role, m.sequence, m.conversation_id,
              m.created_at, m.id as key, m.content as body
       from messages m
       where m.user_id = ${userId} and m.search_vector @@ (${matches})
         ${before(sql`m.created_at`, sql`m.id`)}
       order by m.created_at desc, m.id desc
       limit ${limit + 1})
      union all
      (select null, null, null, c.id, c.created_at, c.id, c.title
       from conversations c
       where c.user_id = ${userId} and c.search_vector @@ (${matches})
         ${before(sql`c.created_at`, sql`c.id`)}
       order by c.created_at desc, c.id desc
       limit ${limit + 1})
    ),
    page as (
      select * from hits order by created_at desc, key desc limit ${limit + 1}
    ),
    lexemes as (select ${lexemeAlternatives(matches)} as alternatives)
    select page.message_id, page.role, page.sequence, page.conversation_id, c.title,
           to_json(page.created_at) #>> '{}' as created_at_iso,
           ${headline(config, sql`excerpt.text`, matches)} as snippet
    from page
    join conversations c on c.id = page.conversation_id and c.user_id = ${userId}
    cross join lexemes
    -- offset 0 keeps the excerpt a subquery of its own, computed once, not copied into each use.
    cross join lateral (
      select ${excerpt(sql`page.body`, sql`lexemes.alternatives`)} as text offset 0
    ) excerpt
    order by page.created_at desc, page.key desc`;
}

function toHit(row: HitRow): SearchHit {
  return {
    conversation: { id: row.conversation_id, title: row.title },
    message:
      row.message_id && row.role && row.sequence !== null
        ? { id: row.message_id, role: row.role, sequence: Number(row.sequence) }
        : null,
    createdAt: new Date(row.created_at_iso),
    snippet: snippetSegments(row.snippet).map((segment) => ({
      ...segment,
      text: unmask(segment.text),
    })),
  };
}
