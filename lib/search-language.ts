// The text search configurations every Postgres ships (pg_ts_config), which are the ones PGlite
// and Neon have too. `simple` lower-cases words and nothing else: no stemming, no stop words, so
// text in any language is found as typed. A language stems (`running` finds `run`) and drops
// that language's stop words, and suits a single-language deployment.
export const SEARCH_LANGUAGES = [
  "simple",
  "arabic",
  "armenian",
  "basque",
  "catalan",
  "danish",
  "dutch",
  "english",
  "finnish",
  "french",
  "german",
  "greek",
  "hindi",
  "hungarian",
  "indonesian",
  "irish",
  "italian",
  "lithuanian",
  "nepali",
  "norwegian",
  "portuguese",
  "romanian",
  "russian",
  "serbian",
  "spanish",
  "swedish",
  "tamil",
  "turkish",
  "yiddish",
] as const;

export type SearchLanguage = (typeof SEARCH_LANGUAGES)[number];

export const DEFAULT_SEARCH_LANGUAGE: SearchLanguage = "simple";
