import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { MATCH_END, MATCH_START } from "@/lib/search-snippet";

// ts_headline's parser reads `<...>` as an HTML tag and `&...;` as an entity and leaves them out
// of the headline; the snippet is text, so they are masked on the way in and put back on the way
// out (`unmask`). The masks are control characters, which every locale's parser reads as a
// separator (a private-use character would be a letter in the C locale, and a word followed by
// `<` would be highlighted with it). The marks' and the masks' own characters are blanked.
const MASK_LT = "\u0001";
const MASK_AMP = "\u0002";
const MASKED_FROM = `${MATCH_START}${MATCH_END}${MASK_LT}${MASK_AMP}<&`;
const MASKED_TO = `    ${MASK_LT}${MASK_AMP}`;
export const unmask = (text: string) => text.replaceAll(MASK_LT, "<").replaceAll(MASK_AMP, "&");

// ts_headline's options. The marks are private-use characters stripped from the text first
// (lib/search-snippet.ts). A short text (every title) is the snippet whole; a longer one is cut
// to the passages around its matches instead of its first words.
const WHOLE_TEXT_CHARS = 240;
const WHOLE_HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, HighlightAll=true`;
const FRAGMENT_HEADLINE = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=24, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … "`;

// ts_headline parses and looks up every word of the text it is given: 15–20 ms of database CPU
// for a 100,000-character message, on every search that shows one. So it is given a window of
// at most EXCERPT_CHARS, starting EXCERPT_LEAD_CHARS before the first match (far more than the
// 24 words a fragment reaches back). Finding that match is one pass of a regular expression,
// about ten times cheaper than the headline.
export const EXCERPT_CHARS = 3_000;
const EXCERPT_LEAD_CHARS = 500;

// The query's lexemes as Postgres prints a tsquery: each in single quotes, a quote doubled.
const QUOTED_LEXEME = "'((?:[^']|'')+)'";
// What a regular expression would read as syntax, each escaped with a backslash.
const REGEX_SYNTAX = "([.\\[\\](){}*+?|^$\\\\])";
const ESCAPED = "\\\\\\1";

/**
 * The query's lexemes as a regular expression's alternatives (`a|b|c`), case-insensitive
 * matching being the caller's. A lexeme is the word as the configuration stores it: the word
 * itself in `simple`, a stem that begins most forms of the word in the others.
 */
export function lexemeAlternatives(matches: SQL): SQL {
  return sql`(select string_agg(
      regexp_replace(replace(lexeme[1], '''''', ''''), ${REGEX_SYNTAX}, ${ESCAPED}, 'g'), '|')
    from regexp_matches((${matches})::text, ${QUOTED_LEXEME}, 'g') as lexeme)`;
}

/**
 * Where the first of `alternatives` starts in `body` (1-based), or null. `regexp_replace`
 * without the `g` flag stops at the first match, so this is one pass whatever the text
 * (`regexp_instr` would collect every match first). Without a match the text comes back whole,
 * which `nullif` tells from a shorter one by its size alone.
 */
function firstMatch(body: SQL, pattern: SQL): SQL {
  return sql`length(nullif(regexp_replace(${body}, ${pattern} || '.*', '', 'i'), ${body})) + 1`;
}

/**
 * What of `body` the headline reads: the whole text when short, else a window around its first
 * match: a lexeme as a whole word (what `simple` matches; `cat` is not the start of `category`),
 * else at the start of a word (a stem, in the other configurations), else anywhere (a token the
 * regular expression does not see as a word, such as a path), else the text's start (a stem that
 * begins no form of its word: the snippet is then the start, unhighlighted). Each try is one
 * pass over the text, made only when the one before found nothing. `octet_length` reads a stored text's size
 * without decompressing it; a text that is short in characters but not in bytes gets a window
 * as large as itself.
 */
export function excerpt(body: SQL, alternatives: SQL): SQL {
  const wholeWord = sql`'(?:^|[^[:alnum:]])(?:' || ${alternatives} || ')(?:[^[:alnum:]]|$)'`;
  const atWordStart = sql`'(?:^|[^[:alnum:]])(?:' || ${alternatives} || ')'`;
  const anywhere = sql`'(?:' || ${alternatives} || ')'`;
  const start = sql`greatest(coalesce(${firstMatch(body, wholeWord)}, ${firstMatch(body, atWordStart)},
    ${firstMatch(body, anywhere)}, 1) - ${EXCERPT_LEAD_CHARS}::int, 1)`;
  return sql`case when octet_length(${body}) <= ${EXCERPT_CHARS}::int then ${body}
    else substr(${body}, ${start}, ${EXCERPT_CHARS}::int) end`;
}

/** The highlighted snippet of `text` (an `excerpt`) for the tsquery `matches`. */
export function headline(config: SQL, text: SQL, matches: SQL): SQL {
  return sql`ts_headline(${config}, translate(${text}, ${MASKED_FROM}, ${MASKED_TO}), (${matches}),
    case when length(${text}) <= ${WHOLE_TEXT_CHARS}::int then ${WHOLE_HEADLINE} else ${FRAGMENT_HEADLINE} end)`;
}
