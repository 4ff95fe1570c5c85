import type { SearchLanguage } from "@/lib/search-language";

// The expressions of the two generated search columns, for a text search configuration. One
// place, used by the schema (with the default, `simple`) and by the migration step that
// rebuilds the columns when SEARCH_LANGUAGE names another (db/search-language.ts).
//
// `language` is one of SEARCH_LANGUAGES (validated in server/env.ts): it is written into the
// expression as a literal, since a generated column cannot take a parameter.

function regconfig(language: SearchLanguage): string {
  if (!/^[a-z]+$/.test(language)) throw new Error(`not a text search configuration: ${language}`);
  return `'${language}'::regconfig`;
}

/**
 * A message's words. NULL while the reply is streaming: checkpoints rewrite the content several
 * times a second, and re-tokenising the whole text each time (and touching the GIN index, which
 * also keeps the update from being HOT) would cost more than the write itself. The vector is
 * computed once, when the reply settles.
 */
export function messageVectorExpression(language: SearchLanguage): string {
  return `CASE WHEN "status" = 'streaming'::message_status THEN NULL ELSE to_tsvector(${regconfig(language)}, "content") END`;
}

/** A conversation title's words; an untitled conversation has an empty vector. */
export function titleVectorExpression(language: SearchLanguage): string {
  return `to_tsvector(${regconfig(language)}, coalesce("title", ''))`;
}
