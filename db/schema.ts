import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  customType,
  foreignKey,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { DEFAULT_SEARCH_LANGUAGE } from "@/lib/search-language";
import { messageVectorExpression, titleVectorExpression } from "./search-vectors";

// Millisecond precision: a JavaScript Date holds milliseconds, so a timestamp read back and used
// as a keyset cursor compares equal to the stored value.
const timestamptz = (name: string) => timestamp(name, { withTimezone: true, precision: 3 });
const createdAt = () => timestamptz("created_at").notNull().defaultNow();

// Postgres's parsed-words type. Never read by the app (only matched against), so its value
// stays the driver's text form.
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export const messageRole = pgEnum("message_role", ["user", "assistant"]);

// `interrupted` is stored once a reply whose lease expired has been looked at by a writer
// (continue/regenerate); readers derive it from an expired lease without writing.
export const messageStatus = pgEnum("message_status", [
  "streaming",
  "complete",
  "stopped",
  "failed",
  "interrupted",
]);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  name: text("name"),
  passwordHash: text("password_hash"),
  emailVerified: timestamptz("email_verified"),
  image: text("image"),
  createdAt: createdAt(),
});

// OAuth links, in the shape the Auth.js Drizzle adapter expects.
export const accounts = pgTable(
  "accounts",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (table) => [
    primaryKey({ columns: [table.provider, table.providerAccountId] }),
    // Deleting a user cascades here; without an index that cascade scans the table.
    index("accounts_user_id_idx").on(table.userId),
  ],
);

export const conversations = pgTable(
  "conversations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: text("title"),
    // The title's words for search, kept by Postgres (db/search-vectors.ts).
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql.raw(titleVectorExpression(DEFAULT_SEARCH_LANGUAGE)),
    ),
    // The last sequence handed out; bumping it with UPDATE ... RETURNING serialises appends
    // to one conversation on its row lock, so sequences never collide or skip.
    lastSequence: integer("last_sequence").notNull().default(0),
    // The current branch's last message (db/branches.ts pages back from it). No foreign key: the
    // message's row already points at the conversation, and a leaf is only ever set to a row
    // this conversation holds (the messages_with_tree_position trigger).
    currentLeafId: uuid("current_leaf_id"),
    // Roots handed out; the next root's sibling index is claimed by bumping it, as a child's is
    // by bumping its parent's child_count.
    rootCount: integer("root_count").notNull().default(0),
    // The model the conversation's next turn is answered by (decision 43): an endpoint id of
    // AI_ENDPOINTS (or `default`, `offline`) and a model id. Both null: the deployment's default,
    // which is what every conversation written before 0010 follows.
    modelEndpoint: text("model_endpoint"),
    model: text("model"),
    createdAt: createdAt(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (table) => [
    // listConversations: a user's conversations, newest activity first, keyset on (updated_at, id).
    index("conversations_user_recent_idx").on(
      table.userId,
      table.updatedAt.desc(),
      table.id.desc(),
    ),
    // searchMessages: the user's conversations whose title has the words. Per user (btree_gin),
    // so a word common in other people's titles costs the searcher nothing.
    index("conversations_user_search_idx").using("gin", table.userId, table.searchVector),
    // The target of messages' (conversation_id, user_id) foreign key.
    unique("conversations_id_user_id_key").on(table.id, table.userId),
    check("conversations_last_sequence_check", sql`${table.lastSequence} >= 0`),
    check("conversations_root_count_check", sql`${table.rootCount} >= 0`),
    check(
      "conversations_model_pair_check",
      sql`(${table.modelEndpoint} is null) = (${table.model} is null)`,
    ),
  ],
);

// A run of messages along one branch, each the only-first child of the one before
// (docs/data-model.md, "The message tree"). A segment continues its ancestors: `ancestor_ids`
// lists them root first and `ancestor_until[i]` is the last depth of `ancestor_ids[i]` that lies
// on this segment's path, so one row gives the depth range every segment covers on the path.
export const branchSegments = pgTable(
  "branch_segments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    conversationId: uuid("conversation_id").notNull(),
    userId: uuid("user_id").notNull(),
    parentSegmentId: uuid("parent_segment_id").references((): AnyPgColumn => branchSegments.id, {
      onDelete: "cascade",
    }),
    // The depth of the parent-path message this segment continues from (0 for a root segment).
    forkDepth: integer("fork_depth").notNull().default(0),
    ancestorIds: uuid("ancestor_ids").array().notNull().default(sql`'{}'`),
    ancestorUntil: integer("ancestor_until").array().notNull().default(sql`'{}'`),
    createdAt: createdAt(),
  },
  (table) => [
    foreignKey({
      name: "branch_segments_conversation_owner_fk",
      columns: [table.conversationId, table.userId],
      foreignColumns: [conversations.id, conversations.userId],
    }).onDelete("cascade"),
    // Deleting a conversation cascades here; without an index that cascade scans the table.
    index("branch_segments_conversation_idx").on(table.conversationId),
    check("branch_segments_fork_depth_check", sql`${table.forkDepth} >= 0`),
  ],
);

export const messages = pgTable(
  "messages",
  {
    // Generated by the client, so a retried send is recognised as the same message.
    id: uuid("id").primaryKey(),
    conversationId: uuid("conversation_id").notNull(),
    // The conversation's owner, copied so search can read one user's messages without the
    // others'; the foreign key below keeps it equal to the conversation's.
    userId: uuid("user_id").notNull(),
    role: messageRole("role").notNull(),
    content: text("content").notNull(),
    sequence: integer("sequence").notNull(),
    status: messageStatus("status").notNull().default("complete"),
    finishReason: text("finish_reason"),
    model: text("model"),
    // The endpoint that wrote a reply (an id of AI_ENDPOINTS, `default` for AI_BASE_URL,
    // `offline`); null for user messages, and replies from before 0009 or imported without one.
    endpoint: text("endpoint"),
    inputTokens: integer("input_tokens"),
    outputTokens: integer("output_tokens"),
    error: text("error"),
    // For an assistant reply: the user message it answers (its parent when generated here). Lets
    // a retried send find its reply; each regenerate adds another reply to the same message.
    replyTo: uuid("reply_to").references((): AnyPgColumn => messages.id, { onDelete: "cascade" }),
    // Which server instance is generating this reply, and until when it has promised to
    // checkpoint again. A `streaming` row past its lease belongs to a dead server.
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamptz("lease_expires_at"),
    // The tree (docs/data-model.md): the previous message on this message's branch (null for a
    // root), the position along the branch (1 for a root), the order among its parent's
    // children, how many children it has, and the segment that stores it. Written by the
    // messages_with_tree_position trigger (migration 0007) for every insert that leaves segment_id
    // out; a writer may name parent_id to start a branch. `default null` on the NOT NULL
    // columns says exactly that: an insert may leave them out, the trigger fills them in.
    parentId: uuid("parent_id"),
    depth: integer("depth").notNull().default(sql`null`),
    siblingIndex: integer("sibling_index").notNull().default(0),
    childCount: integer("child_count").notNull().default(0),
    segmentId: uuid("segment_id")
      .notNull()
      .default(sql`null`)
      .references(() => branchSegments.id, { onDelete: "cascade" }),
    // Reserved: the leaf last viewed below this version, for switching back to it.
    lastLeafId: uuid("last_leaf_id"),
    // The content's words for search, kept by Postgres; NULL while streaming (db/search-vectors.ts).
    searchVector: tsvector("search_vector").generatedAlwaysAs(
      sql.raw(messageVectorExpression(DEFAULT_SEARCH_LANGUAGE)),
    ),
    createdAt: createdAt(),
    updatedAt: timestamptz("updated_at").notNull().defaultNow(),
  },
  (table) => [
    // A message belongs to its conversation, and to that conversation's owner.
    foreignKey({
      name: "messages_conversation_owner_fk",
      columns: [table.conversationId, table.userId],
      foreignColumns: [conversations.id, conversations.userId],
    }).onDelete("cascade"),
    // The uniqueness of sequences (and their order, for export and shares).
    unique("messages_conversation_sequence_key").on(table.conversationId, table.sequence),
    check("messages_sequence_check", sql`${table.sequence} > 0`),
    // getBranchPage (db/branches.ts): one index range scan per segment on the path; also keeps
    // a segment a single path (one message per depth).
    unique("messages_segment_depth_key").on(table.segmentId, table.depth),
    // Each child of a parent (each root of a conversation) has its own version number; also the
    // probe for how many versions there are.
    unique("messages_parent_sibling_key")
      .on(table.conversationId, table.parentId, table.siblingIndex)
      .nullsNotDistinct(),
    check("messages_depth_check", sql`${table.depth} > 0`),
    check("messages_sibling_index_check", sql`${table.siblingIndex} >= 0`),
    // A streaming reply without a lease would be live forever: nothing could ever settle it.
    check(
      "messages_streaming_lease_check",
      sql`${table.status} <> 'streaming' or ${table.leaseExpiresAt} is not null`,
    ),
    // At most one reply in progress per conversation, enforced by the database; also finds
    // that reply (resume, stop). Partial, so it holds only the few rows still streaming.
    uniqueIndex("messages_one_streaming_reply_idx")
      .on(table.conversationId)
      .where(sql`${table.status} = 'streaming'`),
    // A retried send finds the first reply to its message; the foreign key's cascade needs it too.
    // Not unique since regenerating keeps the old reply as another version (migration 0008).
    index("messages_reply_to_idx").on(table.replyTo),
    // searchMessages for a rarer word: the user's messages that have it, from one GIN index
    // (btree_gin) that never reads another user's matches.
    index("messages_user_search_idx").using("gin", table.userId, table.searchVector),
    // searchMessages for a common word: walking the user's messages newest first and stopping at
    // a page of matches beats collecting every match and sorting them. Read backwards: ascending,
    // so the backward scan gives `order by created_at desc, id desc` (nulls first) exactly.
    index("messages_user_recent_idx").on(table.userId, table.createdAt, table.id),
  ],
);

// Read-only links to a conversation as it was when shared. The link's token is a bearer
// credential: only its SHA-256 is stored for lookup, so a copy of the database opens no link;
// `sealed_token` is the token encrypted under a key derived from AUTH_SECRET, so the owner can
// be shown the link again in Settings. Revoking deletes the row.
export const shares = pgTable(
  "shares",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    // sha256(token), hex.
    tokenHash: text("token_hash").notNull(),
    sealedToken: text("sealed_token").notNull(),
    conversationId: uuid("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // The conversation's last sequence when shared: the link shows nothing after it.
    upToSequence: integer("up_to_sequence").notNull(),
    // The conversation's current leaf when shared: the link shows that branch (null: nothing
    // was stored yet). No foreign key: messages go only with their conversation, which takes its
    // shares along, and a key would make every message delete probe this table.
    leafId: uuid("leaf_id"),
    createdAt: createdAt(),
  },
  (table) => [
    // findShareByToken (db/shares.ts): the one lookup a visitor's link makes, to show or copy it.
    uniqueIndex("shares_token_hash_idx").on(table.tokenHash),
    // listShares: a user's shares, newest first, keyset on (created_at, id).
    index("shares_user_recent_idx").on(table.userId, table.createdAt.desc(), table.id.desc()),
    // Deleting a conversation cascades here; without an index that cascade scans the table.
    index("shares_conversation_idx").on(table.conversationId),
    check("shares_up_to_sequence_check", sql`${table.upToSequence} >= 0`),
  ],
);

// Fixed-window counters for rate limits, shared by every server instance.
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").notNull(),
    windowStart: timestamptz("window_start").notNull(),
    hits: integer("hits").notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.key, table.windowStart] }),
    // Pruning old windows.
    index("rate_limits_window_idx").on(table.windowStart),
  ],
);

// The import each user has running, at most one, whichever instance runs it (db/import-leases.ts).
// A lease: the importing server renews `expires_at` while it reads the file, so the row of a
// server that died stops counting once it expires; a finished import deletes its row.
export const importLeases = pgTable("import_leases", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  // The import holding the lease: only it renews or releases it.
  holder: uuid("holder").notNull(),
  expiresAt: timestamptz("expires_at").notNull(),
});

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Conversation = typeof conversations.$inferSelect;
export type NewConversation = typeof conversations.$inferInsert;
export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
export type Share = typeof shares.$inferSelect;
export type BranchSegment = typeof branchSegments.$inferSelect;
export type MessageRole = (typeof messageRole.enumValues)[number];
export type MessageStatus = (typeof messageStatus.enumValues)[number];
