// next.config.ts loads this file outside the bundler, where the `@/` alias does not resolve:
// relative imports only.
import { z } from "zod";
import {
  DEFAULT_MAX_CONVERSATION_BYTES,
  DEFAULT_MAX_CONVERSATION_MESSAGES,
  IMPORT_MAX_MESSAGES,
} from "../lib/import-limits";
import { DEFAULT_SEARCH_LANGUAGE, SEARCH_LANGUAGES } from "../lib/search-language";
import { MAX_STORED_MESSAGE_CHARS } from "../lib/validation";

// Every variable the server reads, validated once. A bad value fails at start-up with a message
// naming the variable, instead of surfacing later as an odd runtime error.
const serverEnvSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_DRIVER: z.enum(["pglite", "neon", "pg"]).optional(),
  DATA_DIR: z.string().trim().min(1).default("./.data"),
  NEON_WS_PROXY: z.string().trim().min(1).optional(),
  // Server drivers: how long a query may wait for a connection, and for its answer, before it
  // fails (503). Without them a database that stops answering holds requests forever.
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  AUTH_GITHUB_ID: z.string().min(1).optional(),
  AUTH_GITHUB_SECRET: z.string().min(1).optional(),
  // How long a generating server's claim on a reply lasts without a checkpoint; after that the
  // reply is presumed interrupted. Checkpoints come far more often than this.
  REPLY_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(15_000),
  // The longest a reply may grow (UTF-16 code units), continuations included: it stops there
  // with finishReason "length". At most what import accepts, so every reply exports and imports.
  REPLY_MAX_CHARS: z.coerce.number().int().min(1000).max(MAX_STORED_MESSAGE_CHARS).default(100_000),
  REPLY_CHECKPOINT_MS: z.coerce.number().int().min(50).max(1000).default(250),
  RESUME_POLL_MS: z.coerce.number().int().min(50).max(5000).default(250),
  RATE_LIMIT_SENDS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_LOGINS_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: z.coerce.number().int().min(1).default(20),
  // Per user, for what costs the database most (server/user-limits.ts): a search, an import (and
  // only one at a time), an export of the whole account, a share link made, a shared
  // conversation copied into one's account.
  RATE_LIMIT_SEARCHES_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  RATE_LIMIT_IMPORTS_PER_HOUR: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_EXPORTS_PER_HOUR: z.coerce.number().int().min(1).default(30),
  RATE_LIMIT_SHARES_PER_HOUR: z.coerce.number().int().min(1).default(60),
  RATE_LIMIT_SHARE_COPIES_PER_HOUR: z.coerce.number().int().min(1).default(30),
  // Live followers (open resume streams) per user on one instance: each one polls the database.
  MAX_FOLLOWERS_PER_USER: z.coerce.number().int().min(1).max(1000).default(20),
  // Reverse proxies in front of the server whose X-Forwarded-For / X-Forwarded-Host entries are
  // believed. 0: none, the connection's own address is the client's.
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  // Imports (POST /api/import): the largest file, and the most conversations in one file.
  IMPORT_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(4 * 1024 ** 3)
    .default(256 * 1024 * 1024),
  IMPORT_MAX_CONVERSATIONS: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  // Imports running at once in one server process, all users together (transfer/import-slot.ts).
  IMPORT_MAX_CONCURRENT: z.coerce.number().int().min(1).max(100).default(4),
  // One conversation of an import file: it is built in memory whole, so these bound an
  // import's memory (lib/import-limits.ts says how). One over either fails, the rest go on.
  IMPORT_MAX_CONVERSATION_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 ** 3)
    .default(DEFAULT_MAX_CONVERSATION_BYTES),
  IMPORT_MAX_CONVERSATION_MESSAGES: z.coerce
    .number()
    .int()
    .min(1)
    .max(IMPORT_MAX_MESSAGES)
    .default(DEFAULT_MAX_CONVERSATION_MESSAGES),
  // The text search configuration for message and title search (lib/search-language.ts). A
  // change takes effect at the next migration: the search columns are rebuilt with it.
  SEARCH_LANGUAGE: z.enum(SEARCH_LANGUAGES).default(DEFAULT_SEARCH_LANGUAGE),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

export function parseServerEnv(source: Record<string, string | undefined>): ServerEnv {
  const result = serverEnvSchema.safeParse(withoutBlanks(source));
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `  ${issue.path.join(".")}: ${issue.message}`)
      .join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  return result.data;
}

// `VAR=` in a .env file (as in .env.example) or in deployment tooling means "not set": drop
// blank values before validation, so every variable gets its default instead of an error.
function withoutBlanks(source: Record<string, string | undefined>) {
  return Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""),
  );
}

let cached: ServerEnv | undefined;

export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
