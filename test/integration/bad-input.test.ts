import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { encode } from "next-auth/jwt";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ErrorCode } from "@/lib/errors";
import { titleFromMessage } from "@/lib/title";
import { MAX_MESSAGE_CHARS, MAX_TITLE_CHARS } from "@/lib/validation";
import { MAX_BODY_BYTES } from "@/server/http";
import { ApiClient, messagesOf, readReply, signedInClient } from "@/test/support/api-client";
import { type AppServer, TEST_AUTH_SECRET } from "@/test/support/app-server";
import { startEarlyInWindow } from "@/test/support/rate-windows";
import { type Backend, backends, startServerOn } from "./servers";

// Every endpoint under app/api, fed what a careless or hostile client might send. Each row
// names a request, the status and error code it must get, and is checked to have written
// nothing: the two people's conversations and messages, read back through the API, are exactly
// as before, and on Postgres the row counts of every table the API writes (on PGlite the
// server holds the database, so a refused registration or share is checked there by status
// only).

const SESSION_COOKIE = "authjs.session-token"; // Auth.js v5 over http; also its JWT salt

type Actor =
  | "alice"
  | "bob"
  | "nobody"
  | "a garbage session cookie"
  | "a session signed with another key"
  | "an expired session";

type Body =
  | { json: unknown }
  | { text: string }
  | { bytes: Uint8Array<ArrayBuffer> }
  /** A JSON-looking body of this many bytes, sent in chunks without Content-Length. */
  | { chunkedBytes: number };

interface Row {
  name: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /**
   * Paths and JSON bodies may hold {mine}, {userMessage}, {reply}, {bobs}, {share} (see `World`),
   * {aliceEmail} (upper-cased) and {new} (a fresh UUID), filled per request by `fill`.
   */
  path: string;
  body?: Body;
  as?: Actor;
  headers?: Record<string, string>;
  status: number;
  code: ErrorCode;
}

interface World {
  server: AppServer;
  alice: ApiClient & { email: string };
  bob: ApiClient & { email: string };
  aliceId: string;
  /** Alice's conversation: one message and its finished reply. */
  mine: string;
  userMessage: string;
  reply: string;
  /** Bob's conversation, empty. */
  bobs: string;
  /** Alice's share of her conversation. */
  share: string;
  /** On Postgres, a direct connection for row counts; PGlite's folder belongs to the server. */
  db?: pg.Client;
  /** Texts, titles, passwords and share tokens sent to the server: none may appear in its logs. */
  submitted: Set<string>;
}

const uuid = "2d5c1c3e-7f0a-4b7e-9a51-3f1e8c2b6a90";
// A model reference of a bad shape, and one of the right shape that nothing offers (the server
// runs the offline model only).
const badModels = [
  ["as a string", "offline/offline"],
  ["that is null", null],
  ["without a modelId", { endpointId: "offline" }],
  ["with an endpoint id that is not one", { endpointId: "Off Line", modelId: "offline" }],
  ["with an empty modelId", { endpointId: "offline", modelId: "" }],
  ["with a modelId over 200 characters", { endpointId: "offline", modelId: "m".repeat(201) }],
  ["with an unknown field", { endpointId: "offline", modelId: "offline", label: "x" }],
] as const;
const notOffered = { endpointId: "offline", modelId: "gpt-imaginary" };
const offline = { endpointId: "offline", modelId: "offline" };

const sqlInjections = [
  `'); DROP TABLE messages; --`,
  `' OR '1'='1`,
  `Robert"); DELETE FROM users WHERE ('1'='1`,
  `$1 $2 \\'; select pg_sleep(10); --`,
];
const loneHigh = "\ud800";
const loneLow = "\udc00";
const bigBody = (bytes: number) => JSON.stringify({ id: uuid, content: "x".repeat(bytes) });
/** Cursors in our format whose dates JavaScript reads but Postgres refuses (db/cursor.ts). */
const unstorableCursors = [
  "0000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "-000001-01-01T00:00:00Z",
].map((at) => Buffer.from(JSON.stringify([at, uuid])).toString("base64url"));

// ---------------------------------------------------------------------------------------------
// The table. Rows per endpoint, then the session rows for every endpoint that needs one.

const conversationRows: Row[] = [
  // GET /api/conversations
  ...["limit=0", "limit=101", "limit=abc", "limit=1.5", "limit=-1", "limit="].map(
    (query): Row => ({
      name: `list with ${query}`,
      method: "GET",
      path: `/api/conversations?${query}`,
      status: 400,
      code: "validation",
    }),
  ),
  ...[
    "forged",
    "x".repeat(201),
    encodeURIComponent(sqlInjections[1] ?? ""),
    Buffer.from(JSON.stringify(["not a date", uuid])).toString("base64url"),
    ...unstorableCursors,
  ].map(
    (cursor): Row => ({
      name: `list with the cursor ${cursor.slice(0, 36)}`,
      method: "GET",
      path: `/api/conversations?cursor=${cursor}`,
      status: 400,
      code: "validation",
    }),
  ),

  // POST /api/conversations
  ...createOrRenameRows("POST", "/api/conversations"),
  {
    name: "create with a non-UUID id",
    method: "POST",
    path: "/api/conversations",
    body: { json: { id: "not-a-uuid" } },
    status: 400,
    code: "validation",
  },
  {
    name: "create with an id of the wrong type",
    method: "POST",
    path: "/api/conversations",
    body: { json: { id: 42 } },
    status: 400,
    code: "validation",
  },
  {
    name: "create with another user's conversation id",
    method: "POST",
    path: "/api/conversations",
    body: { json: { id: "{bobs}", title: "mine now" } },
    status: 409,
    code: "conflict",
  },
  ...["[]", '"a title"', "null", "42"].map(
    (text): Row => ({
      name: `create with the body ${text}`,
      method: "POST",
      path: "/api/conversations",
      body: { text },
      status: 400,
      code: "validation",
    }),
  ),

  // GET, PATCH, DELETE /api/conversations/:id
  ...nonUuidRows("GET", "/api/conversations/{id}"),
  ...nonUuidRows("PATCH", "/api/conversations/{id}", { title: "x" }),
  ...nonUuidRows("DELETE", "/api/conversations/{id}"),
  ...createOrRenameRows("PATCH", "/api/conversations/{mine}"),
  {
    name: "rename without a title",
    method: "PATCH",
    path: "/api/conversations/{mine}",
    body: { json: {} },
    status: 400,
    code: "validation",
  },
  {
    name: "rename with no body",
    method: "PATCH",
    path: "/api/conversations/{mine}",
    status: 400,
    code: "validation",
  },
  {
    name: "rename a conversation that does not exist",
    method: "PATCH",
    path: "/api/conversations/{new}",
    body: { json: { title: "x" } },
    status: 404,
    code: "not_found",
  },
  ...modelRows(),
  {
    name: "delete a conversation that does not exist",
    method: "DELETE",
    path: "/api/conversations/{new}",
    status: 404,
    code: "not_found",
  },
];

/** The `model` field of a conversation's create and PATCH, and of a regenerate. */
function modelRows(): Row[] {
  const targets = [
    ["create", "POST", "/api/conversations", { id: "{new}" }],
    ["change the model of", "PATCH", "/api/conversations/{mine}", { title: "not stored" }],
    ["regenerate", "POST", "/api/conversations/{mine}/regenerate", { messageId: "{reply}" }],
  ] as const;
  return [
    ...targets.flatMap(([verb, method, path, rest]): Row[] => [
      ...badModels.map(
        ([what, model]): Row => ({
          name: `${verb} with a model ${what}`,
          method,
          path,
          body: { json: { ...rest, model } },
          status: 400,
          code: "validation",
        }),
      ),
      {
        name: `${verb} with a model no endpoint offers`,
        method,
        path,
        body: { json: { ...rest, model: notOffered } },
        status: 400,
        code: "unknown_model",
      },
    ]),
    {
      name: "change the model of another user's conversation",
      method: "PATCH",
      path: "/api/conversations/{bobs}",
      body: { json: { model: offline } },
      status: 404,
      code: "not_found",
    },
    {
      name: "regenerate another user's reply with a model",
      method: "POST",
      path: "/api/conversations/{bobs}/regenerate",
      body: { json: { messageId: "{reply}", model: offline } },
      status: 404,
      code: "not_found",
    },
  ];
}

const messageRows: Row[] = [
  // GET /api/conversations/:id/messages
  ...nonUuidRows("GET", "/api/conversations/{id}/messages"),
  ...[
    "before=0",
    "before=-1",
    "before=abc",
    "before=2147483648",
    "limit=0",
    "limit=201",
    "limit=abc",
    "after=-1",
    "after=abc",
    "around=0",
    "around=2147483648",
    "around=1.5",
    "before=5&after=1",
    "around=5&before=9",
  ].map(
    (query): Row => ({
      name: `history with ${query}`,
      method: "GET",
      path: `/api/conversations/{mine}/messages?${query}`,
      status: 400,
      code: "validation",
    }),
  ),
  {
    name: "history of a conversation that does not exist",
    method: "GET",
    path: "/api/conversations/{new}/messages",
    status: 404,
    code: "not_found",
  },

  // POST /api/conversations/:id/messages
  ...nonUuidRows("POST", "/api/conversations/{id}/messages", { id: uuid, content: "hi" }),
  ...sendRows("/api/conversations/{mine}/messages"),
  // A new conversation is created by its first message: none of these may create it.
  ...sendRows("/api/conversations/{new}/messages").map((row) => ({
    ...row,
    name: `${row.name} (first message)`,
  })),
  {
    name: "send a stored message id with other content",
    method: "POST",
    path: "/api/conversations/{mine}/messages",
    body: { json: { id: "{userMessage}", content: "something else" } },
    status: 409,
    code: "conflict",
  },
  {
    name: "send a stored message id into another conversation",
    method: "POST",
    path: "/api/conversations/{new}/messages",
    body: { json: { id: "{userMessage}", content: "Hello from the fixture" } },
    status: 409,
    code: "conflict",
  },
  {
    name: "send the id of a reply as a user message",
    method: "POST",
    path: "/api/conversations/{mine}/messages",
    body: { json: { id: "{reply}", content: "Hello from the fixture" } },
    status: 409,
    code: "conflict",
  },

  // POST /api/conversations/:id/regenerate and POST /api/conversations/:id/continue
  ...existingReplyRows("regenerate"),
  ...existingReplyRows("continue"),
  ...switchRows(),
  ...forkRows(),
  // The `mode` older clients send to …/regenerate is checked as strictly as ever.
  ...(
    [
      ["a mode but no messageId", { mode: "continue" }],
      ["an unknown mode", { messageId: "{reply}", mode: "rewrite" }],
      ["a mode of the wrong type", { messageId: "{reply}", mode: 1 }],
      ["a null mode", { messageId: "{reply}", mode: null }],
      ["a mode and a non-UUID messageId", { messageId: "reply", mode: "continue" }],
      ["a non-UUID replyId", { messageId: "{reply}", replyId: "new-version" }],
      ["a replyId of the wrong type", { messageId: "{reply}", replyId: 2 }],
    ] as const
  ).map(
    ([what, json]): Row => ({
      name: `regenerate with ${what}`,
      method: "POST",
      path: "/api/conversations/{mine}/regenerate",
      body: { json },
      status: 400,
      code: "validation",
    }),
  ),
  {
    name: "regenerate with the id of a stored message as the new version's",
    method: "POST",
    path: "/api/conversations/{mine}/regenerate",
    body: { json: { messageId: "{reply}", replyId: "{userMessage}" } },
    status: 409,
    code: "conflict",
  },
  {
    name: "continue with a replyId (a field of …/regenerate only)",
    method: "POST",
    path: "/api/conversations/{mine}/continue",
    body: { json: { messageId: "{reply}", replyId: "{new}" } },
    status: 400,
    code: "validation",
  },
  {
    name: "continue with a mode (a field of …/regenerate only)",
    method: "POST",
    path: "/api/conversations/{mine}/continue",
    body: { json: { messageId: "{reply}", mode: "continue" } },
    status: 400,
    code: "validation",
  },
  {
    name: "regenerate a reply that does not exist, with mode continue",
    method: "POST",
    path: "/api/conversations/{mine}/regenerate",
    body: { json: { messageId: "{new}", mode: "continue" } },
    status: 404,
    code: "not_found",
  },

  // POST /api/conversations/:id/stop and GET /api/conversations/:id/stream
  ...nonUuidRows("POST", "/api/conversations/{id}/stop"),
  ...nonUuidRows("GET", "/api/conversations/{id}/stream"),
  {
    name: "stop in a conversation that does not exist",
    method: "POST",
    path: "/api/conversations/{new}/stop",
    status: 404,
    code: "not_found",
  },
  {
    name: "resume in a conversation that does not exist",
    method: "GET",
    path: "/api/conversations/{new}/stream",
    status: 404,
    code: "not_found",
  },
];

const shareRows: Row[] = [
  // POST /api/conversations/:id/shares
  ...nonUuidRows("POST", "/api/conversations/{id}/shares", {}),
  ...invalidJsonRows("POST", "/api/conversations/{mine}/shares"),
  ...overLimitRows("POST", "/api/conversations/{mine}/shares"),
  ...(
    [
      ["a non-UUID id", { id: "share-1" }],
      ["an id of the wrong type", { id: 7 }],
      ["an unknown field", { upToSequence: 1 }],
      ["an array", [{}]],
    ] as const
  ).map(
    ([what, json]): Row => ({
      name: `share with ${what}`,
      method: "POST",
      path: "/api/conversations/{mine}/shares",
      body: { json },
      status: 400,
      code: "validation",
    }),
  ),
  {
    name: "share a conversation that does not exist",
    method: "POST",
    path: "/api/conversations/{new}/shares",
    body: { json: {} },
    status: 404,
    code: "not_found",
  },
  {
    name: "share with the id of an existing share of another conversation",
    method: "POST",
    path: "/api/conversations/{bobs}/shares",
    body: { json: { id: "{share}" } },
    as: "bob",
    status: 409,
    code: "conflict",
  },

  // GET /api/shares
  ...[
    "limit=0",
    "limit=101",
    "limit=abc",
    "cursor=forged",
    `cursor=${"x".repeat(201)}`,
    ...unstorableCursors.map((cursor) => `cursor=${cursor}`),
  ].map(
    (query): Row => ({
      name: `list shares with ${query.slice(0, 43)}`,
      method: "GET",
      path: `/api/shares?${query}`,
      status: 400,
      code: "validation",
    }),
  ),

  // DELETE /api/shares/:id
  ...nonUuidRows("DELETE", "/api/shares/{id}"),
  {
    name: "revoke a share that does not exist",
    method: "DELETE",
    path: "/api/shares/{new}",
    status: 404,
    code: "not_found",
  },
];

// The largest import the bad-input servers accept (IMPORT_MAX_BYTES), so going past it is cheap.
const IMPORT_LIMIT = 2_000_000;
// The most one conversation of it may take (IMPORT_MAX_CONVERSATION_BYTES), and so one value.
const IMPORT_CONVERSATION_LIMIT = 200_000;

const transferRows: Row[] = [
  // GET /api/conversations/:id/export
  ...nonUuidRows("GET", "/api/conversations/{id}/export?format=md"),
  ...["", "format=pdf", "format=MD"].map(
    (query): Row => ({
      name: `export with ${query || "no format"}`,
      method: "GET",
      path: `/api/conversations/{mine}/export?${query}`,
      status: 400,
      code: "validation",
    }),
  ),
  {
    name: "export a conversation that does not exist",
    method: "GET",
    path: "/api/conversations/{new}/export?format=json",
    status: 404,
    code: "not_found",
  },

  // POST /api/import
  ...invalidJsonRows("POST", "/api/import"),
  ...(
    [
      ["no body", undefined],
      ["an object of another shape", { json: { hello: "world" } }],
      ["a Chatkeep export of a newer version", { json: { format: "chatkeep", version: 99 } }],
      [
        "a version 2 export whose conversations are not an array",
        { json: { format: "chatkeep", version: 2, conversations: { c: {} } } },
      ],
      ["a string", { json: "conversations" }],
      ["an empty body", { text: "   " }],
      ["a nesting bomb", { text: "[".repeat(500_000) }],
      ["a truncated ChatGPT export", { text: '[{"title":"Trip","mapping":{"a":' }],
      ["bytes that are not UTF-8", { bytes: new Uint8Array([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d]) }],
    ] as const
  ).map(
    ([what, body]): Row => ({
      name: `import ${what}`,
      method: "POST",
      path: "/api/import",
      body,
      status: 400,
      code: "validation",
    }),
  ),
  {
    name: "import a file over the limit, declared",
    method: "POST",
    path: "/api/import",
    body: { text: bigBody(IMPORT_LIMIT) },
    status: 413,
    code: "too_large",
  },
  {
    name: "import a file holding one string longer than a conversation may take",
    method: "POST",
    path: "/api/import",
    body: { text: `[{"title":"${"x".repeat(IMPORT_CONVERSATION_LIMIT + 100_000)}"}]` },
    status: 413,
    code: "too_large",
  },
  {
    name: "import a file over the limit, chunked without Content-Length",
    method: "POST",
    path: "/api/import",
    body: { chunkedBytes: IMPORT_LIMIT + 100_000 },
    status: 413,
    code: "too_large",
  },
];

// Another person's conversation looks exactly like a missing one, and their message ids do not
// reach into it from one's own conversation either.
const otherUserRows: Row[] = (
  [
    ["GET", "/api/conversations/{mine}", undefined],
    ["PATCH", "/api/conversations/{mine}", { title: "mine now" }],
    ["DELETE", "/api/conversations/{mine}", undefined],
    ["GET", "/api/conversations/{mine}/messages", undefined],
    ["GET", "/api/conversations/{mine}/messages?around=1", undefined],
    ["GET", "/api/conversations/{mine}/messages?after=0", undefined],
    ["POST", "/api/conversations/{mine}/messages", { id: "{new}", content: "hi" }],
    ["GET", "/api/conversations/{mine}/stream", undefined],
    ["POST", "/api/conversations/{mine}/stop", undefined],
    ["POST", "/api/conversations/{mine}/regenerate", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/continue", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/switch", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/fork", { messageId: "{reply}", conversationId: "{new}" }],
    ["POST", "/api/conversations/{mine}/shares", {}],
    ["DELETE", "/api/shares/{share}", undefined],
    ["GET", "/api/conversations/{mine}/export?format=md", undefined],
    ["GET", "/api/conversations/{mine}/export?format=json", undefined],
  ] as const
)
  .map(
    ([method, path, json]): Row => ({
      name: `${method} ${readable(path)} on someone else's ${path.includes("shares/") ? "share" : "conversation"}`,
      method,
      path,
      body: json === undefined ? undefined : { json },
      as: "bob",
      status: 404,
      code: "not_found",
    }),
  )
  .concat([
    ...(["regenerate", "continue"] as const).map(
      (operation): Row => ({
        name: `${operation} someone else's reply from one's own conversation`,
        method: "POST",
        path: `/api/conversations/{bobs}/${operation}`,
        body: { json: { messageId: "{reply}" } },
        as: "bob",
        status: 404,
        code: "not_found",
      }),
    ),
    {
      name: "send after someone else's message, into one's own conversation",
      method: "POST",
      path: "/api/conversations/{bobs}/messages",
      body: { json: { id: "{new}", content: "Hi", parentId: "{reply}" } },
      as: "bob",
      status: 404,
      code: "not_found",
    },
    {
      name: "switch to a version of someone else's message",
      method: "POST",
      path: "/api/conversations/{bobs}/switch",
      body: { json: { siblingOf: "{userMessage}", versionIndex: 0 } },
      as: "bob",
      status: 404,
      code: "not_found",
    },
    {
      name: "fork someone else's message from one's own conversation",
      method: "POST",
      path: "/api/conversations/{bobs}/fork",
      body: { json: { messageId: "{userMessage}", conversationId: "{new}" } },
      as: "bob",
      status: 404,
      code: "not_found",
    },
    {
      name: "switch to someone else's message from one's own conversation",
      method: "POST",
      path: "/api/conversations/{bobs}/switch",
      body: { json: { messageId: "{userMessage}" } },
      as: "bob",
      status: 404,
      code: "not_found",
    },
    {
      name: "send someone else's message id, same content, into one's own conversation",
      method: "POST",
      path: "/api/conversations/{bobs}/messages",
      body: { json: { id: "{userMessage}", content: "Hello from the fixture" } },
      as: "bob",
      status: 409,
      code: "conflict",
    },
  ]);

// GET /api/search
const searchRows: Row[] = [
  ...[
    "",
    "q=",
    "q=%20%20",
    `q=${"x".repeat(201)}`,
    "q=a%00b",
    "q=pizza&limit=0",
    "q=pizza&limit=51",
    "q=pizza&limit=abc",
    "q=pizza&cursor=forged",
    `q=pizza&cursor=${"x".repeat(201)}`,
    `q=pizza&cursor=${Buffer.from(JSON.stringify(["not a date", uuid])).toString("base64url")}`,
    ...unstorableCursors.map((cursor) => `q=pizza&cursor=${cursor}`),
  ].map(
    (query): Row => ({
      name: `search with ${query.slice(0, 51) || "no query"}`,
      method: "GET",
      path: `/api/search?${query}`,
      status: 400,
      code: "validation",
    }),
  ),
];

const registerRows: Row[] = [
  ...invalidJsonRows("POST", "/api/register"),
  ...overLimitRows("POST", "/api/register"),
  ...(
    [
      ["no body", undefined],
      ["no email", { password: "long enough password" }],
      ["no password", { email: "{new}@example.test" }],
      ["an email of the wrong type", { email: ["a@example.test"], password: "long enough" }],
      ["a malformed email", { email: "not an email", password: "long enough" }],
      ["an email with NUL", { email: "a\u0000{new}@example.test", password: "long enough" }],
      [
        "an email with a lone surrogate",
        { email: `a${loneHigh}@example.test`, password: "x".repeat(9) },
      ],
      [
        "an email over 254 characters",
        { email: `${"a".repeat(250)}@example.test`, password: "long enough" },
      ],
      ["a short password", { email: "{new}@example.test", password: "short" }],
      [
        "a password over 200 characters",
        { email: "{new}@example.test", password: "p".repeat(201) },
      ],
      ["a password of the wrong type", { email: "{new}@example.test", password: 12345678 }],
      ["a password with NUL", { email: "{new}@example.test", password: "long\u0000enough" }],
      [
        "a password with a lone surrogate",
        { email: "{new}@example.test", password: `long enough${loneLow}` },
      ],
      ["an empty name", { email: "{new}@example.test", password: "long enough", name: "  " }],
      [
        "a name over 100 characters",
        { email: "{new}@example.test", password: "long enough", name: "n".repeat(101) },
      ],
      [
        "a name of the wrong type",
        { email: "{new}@example.test", password: "long enough", name: {} },
      ],
      [
        "a name with a lone surrogate",
        { email: "{new}@example.test", password: "long enough", name: `A${loneHigh}` },
      ],
      ["an unknown field", { email: "{new}@example.test", password: "long enough", admin: true }],
    ] as const
  ).map(
    ([what, json]): Row => ({
      name: `register with ${what}`,
      method: "POST",
      path: "/api/register",
      body: json === undefined ? undefined : { json },
      as: "nobody",
      status: 400,
      code: "validation",
    }),
  ),
  {
    name: "register an email that has an account, in other case",
    method: "POST",
    path: "/api/register",
    body: { json: { email: "{aliceEmail}", password: "another password" } },
    as: "nobody",
    status: 409,
    code: "conflict",
  } satisfies Row,
].map((row): Row => ({ ...row, as: "nobody" }));

// Every endpoint that needs a session, with a valid request but no valid session.
const sessionRows: Row[] = (
  [
    ["GET", "/api/conversations", undefined],
    ["POST", "/api/conversations", { title: "x" }],
    ["GET", "/api/conversations/{mine}", undefined],
    ["PATCH", "/api/conversations/{mine}", { title: "x" }],
    ["DELETE", "/api/conversations/{mine}", undefined],
    ["GET", "/api/conversations/{mine}/messages", undefined],
    ["POST", "/api/conversations/{new}/messages", { id: "{new}", content: "hi" }],
    ["POST", "/api/conversations/{mine}/regenerate", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/continue", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/switch", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/fork", { messageId: "{reply}", conversationId: "{new}" }],
    ["POST", "/api/conversations/{mine}/stop", undefined],
    ["GET", "/api/conversations/{mine}/stream", undefined],
    ["POST", "/api/conversations/{mine}/shares", {}],
    ["GET", "/api/shares", undefined],
    ["DELETE", "/api/shares/{share}", undefined],
    ["GET", "/api/search?q=hello", undefined],
    ["GET", "/api/models", undefined],
    ["GET", "/api/conversations/{mine}/export?format=md", undefined],
    ["GET", "/api/export", undefined],
    ["POST", "/api/import", []],
  ] as const
).flatMap(([method, path, json]) =>
  (
    [
      "nobody",
      "a garbage session cookie",
      "a session signed with another key",
      "an expired session",
    ] as const
  ).map(
    (as): Row => ({
      name: `${method} ${readable(path)} with ${as === "nobody" ? "no session" : as}`,
      method,
      path,
      body: json === undefined ? undefined : { json },
      as,
      status: 401,
      code: "unauthorized",
    }),
  ),
);

const rows: Row[] = [
  ...conversationRows,
  ...messageRows,
  ...shareRows,
  ...transferRows,
  ...otherUserRows,
  ...searchRows,
  ...registerRows,
  ...sessionRows,
];

// ---------------------------------------------------------------------------------------------
// Row families shared by several endpoints.

/** A path pattern as people write it: `/api/conversations/:id`. */
function readable(path: string): string {
  return path.replace(/\{\w+\}/g, ":id");
}

/**
 * The rows of an operation on an existing reply (…/regenerate, …/continue): the same body
 * `{ messageId }`, refused the same ways.
 */
function existingReplyRows(operation: "regenerate" | "continue"): Row[] {
  const path = (conversation: string) => `/api/conversations/${conversation}/${operation}`;
  return [
    ...nonUuidRows("POST", path("{id}"), { messageId: uuid }),
    ...invalidJsonRows("POST", path("{mine}")),
    ...overLimitRows("POST", path("{mine}")),
    ...(
      [
        ["no body", undefined],
        ["no messageId", {}],
        ["a non-UUID messageId", { messageId: "reply" }],
        ["a messageId of the wrong type", { messageId: [] }],
        ["an unknown field", { messageId: "{reply}", content: "x" }],
      ] as const
    ).map(
      ([what, json]): Row => ({
        name: `${operation} with ${what}`,
        method: "POST",
        path: path("{mine}"),
        body: json === undefined ? undefined : { json },
        status: 400,
        code: "validation",
      }),
    ),
    {
      name: `${operation} a user message`,
      method: "POST",
      path: path("{mine}"),
      body: { json: { messageId: "{userMessage}" } },
      status: 404,
      code: "not_found",
    },
    {
      name: `${operation} a reply that does not exist`,
      method: "POST",
      path: path("{mine}"),
      body: { json: { messageId: "{new}" } },
      status: 404,
      code: "not_found",
    },
    {
      name: `${operation} in a conversation that does not exist`,
      method: "POST",
      path: path("{new}"),
      body: { json: { messageId: "{reply}" } },
      status: 404,
      code: "not_found",
    },
  ];
}

/** The rows of POST …/switch: the body `{ messageId }` of a message in the conversation. */
function switchRows(): Row[] {
  const path = (conversation: string) => `/api/conversations/${conversation}/switch`;
  return [
    ...nonUuidRows("POST", path("{id}"), { messageId: uuid }),
    ...invalidJsonRows("POST", path("{mine}")),
    ...(
      [
        ["no body", undefined],
        ["no messageId", {}],
        ["a non-UUID messageId", { messageId: "reply" }],
        ["a messageId of the wrong type", { messageId: 1 }],
        ["an unknown field", { messageId: "{reply}", leafId: "{reply}" }],
        ["siblingOf without versionIndex", { siblingOf: "{reply}" }],
        ["a non-UUID siblingOf", { siblingOf: "reply", versionIndex: 0 }],
        ["a negative versionIndex", { siblingOf: "{reply}", versionIndex: -1 }],
        ["a fractional versionIndex", { siblingOf: "{reply}", versionIndex: 0.5 }],
        ["a versionIndex as text", { siblingOf: "{reply}", versionIndex: "0" }],
        [
          "both a messageId and a version",
          { messageId: "{reply}", siblingOf: "{reply}", versionIndex: 0 },
        ],
      ] as const
    ).map(
      ([what, json]): Row => ({
        name: `switch with ${what}`,
        method: "POST",
        path: path("{mine}"),
        body: json === undefined ? undefined : { json },
        status: 400,
        code: "validation",
      }),
    ),
    {
      name: "switch to a message that does not exist",
      method: "POST",
      path: path("{mine}"),
      body: { json: { messageId: "{new}" } },
      status: 404,
      code: "not_found",
    },
    {
      name: "switch to a version that does not exist",
      method: "POST",
      path: path("{mine}"),
      body: { json: { siblingOf: "{reply}", versionIndex: 1 } },
      status: 404,
      code: "not_found",
    },
    {
      name: "switch to a version of a message that does not exist",
      method: "POST",
      path: path("{mine}"),
      body: { json: { siblingOf: "{new}", versionIndex: 0 } },
      status: 404,
      code: "not_found",
    },
    {
      name: "switch in a conversation that does not exist",
      method: "POST",
      path: path("{new}"),
      body: { json: { messageId: "{reply}" } },
      status: 404,
      code: "not_found",
    },
  ];
}

/**
 * The rows of POST …/fork: `{ messageId, conversationId }`, a message of the conversation and
 * the new conversation's id. None may store anything: not the new conversation either.
 */
function forkRows(): Row[] {
  const path = (conversation: string) => `/api/conversations/${conversation}/fork`;
  const valid = { messageId: "{reply}", conversationId: "{new}" };
  return [
    ...nonUuidRows("POST", path("{id}"), { messageId: uuid, conversationId: uuid }),
    ...invalidJsonRows("POST", path("{mine}")),
    ...(
      [
        ["no body", undefined],
        ["an empty body", {}],
        ["no conversationId", { messageId: "{reply}" }],
        ["no messageId", { conversationId: "{new}" }],
        ["a non-UUID messageId", { ...valid, messageId: "reply" }],
        ["a non-UUID conversationId", { ...valid, conversationId: "new" }],
        ["a conversationId of the wrong type", { ...valid, conversationId: 1 }],
        ["a null messageId", { ...valid, messageId: null }],
        ["an unknown field", { ...valid, title: "Fork" }],
      ] as const
    ).map(
      ([what, json]): Row => ({
        name: `fork with ${what}`,
        method: "POST",
        path: path("{mine}"),
        body: json === undefined ? undefined : { json },
        status: 400,
        code: "validation",
      }),
    ),
    {
      name: "fork at a message that does not exist",
      method: "POST",
      path: path("{mine}"),
      body: { json: { ...valid, messageId: "{new}" } },
      status: 404,
      code: "not_found",
    },
    {
      name: "fork a conversation that does not exist",
      method: "POST",
      path: path("{new}"),
      body: { json: valid },
      status: 404,
      code: "not_found",
    },
    {
      name: "fork into the id of an existing conversation",
      method: "POST",
      path: path("{mine}"),
      body: { json: { ...valid, conversationId: "{mine}" } },
      status: 409,
      code: "conflict",
    },
  ];
}

function nonUuidRows(method: Row["method"], pattern: string, json?: unknown): Row[] {
  return ["not-a-uuid", `${uuid}x`, "1' OR '1'='1", "%00", uuid.replaceAll("-", "")].map(
    (id): Row => ({
      name: `${method} ${pattern.replace("{id}", ":id")} with the id ${id}`,
      method,
      path: pattern.replace("{id}", encodeURIComponent(id)),
      body: json === undefined ? undefined : { json },
      status: 400,
      code: "validation",
    }),
  );
}

function invalidJsonRows(method: Row["method"], path: string): Row[] {
  return [
    ["a truncated object", '{"title": "x"'],
    ["a trailing comma", '{"title": "x",}'],
    ["single quotes", "{'title': 'x'}"],
    ["a raw NUL in a string", '{"title": "a\u0000b"}'],
  ].map(
    ([what, text]): Row => ({
      name: `${method} ${readable(path)} with invalid JSON: ${what}`,
      method,
      path,
      body: { text: text ?? "" },
      status: 400,
      code: "validation",
    }),
  );
}

function overLimitRows(method: Row["method"], path: string): Row[] {
  return [
    {
      name: `${method} ${readable(path)} with a body over the limit, declared`,
      method,
      path,
      body: { text: bigBody(MAX_BODY_BYTES) },
      status: 413,
      code: "too_large",
    },
    {
      name: `${method} ${readable(path)} with a body over the limit, chunked without Content-Length`,
      method,
      path,
      body: { chunkedBytes: MAX_BODY_BYTES + 100_000 },
      status: 413,
      code: "too_large",
    },
  ];
}

function createOrRenameRows(method: Row["method"], path: string): Row[] {
  const verb = method === "POST" ? "create" : "rename";
  return [
    ...invalidJsonRows(method, path),
    ...overLimitRows(method, path),
    ...(
      [
        ["an empty title", ""],
        ["a blank title", " \n\t "],
        ["a title of the wrong type", 42],
        ["a null title", null],
        ["a title with NUL", "a\u0000b"],
        ["a title with a lone high surrogate", `Trip ${loneHigh}`],
        ["a title with a lone low surrogate", `${loneLow} Trip`],
        ["a title over the limit", "t".repeat(MAX_TITLE_CHARS + 1)],
      ] as const
    ).map(
      ([what, title]): Row => ({
        name: `${verb} with ${what}`,
        method,
        path,
        body: { json: { title } },
        status: 400,
        code: "validation",
      }),
    ),
    {
      name: `${verb} with an unknown field`,
      method,
      path,
      body: { json: { title: "Trip", owner: "{bobs}" } },
      status: 400,
      code: "validation",
    },
  ];
}

function sendRows(path: string): Row[] {
  const bad = (name: string, json: unknown, status = 400, code: ErrorCode = "validation"): Row => ({
    name: `send ${name}`,
    method: "POST",
    path,
    body: { json },
    status,
    code,
  });
  return [
    ...invalidJsonRows("POST", path),
    ...overLimitRows("POST", path),
    {
      name: "send with no body",
      method: "POST",
      path,
      status: 400,
      code: "validation",
    },
    {
      name: "send bytes that are not UTF-8",
      method: "POST",
      path,
      body: {
        bytes: new Uint8Array([
          ...new TextEncoder().encode(`{"id":"${uuid}","content":"caf`),
          0xe9,
          0xff,
          ...new TextEncoder().encode('"}'),
        ]),
      },
      status: 400,
      code: "validation",
    },
    {
      name: "send deeply nested JSON",
      method: "POST",
      path,
      body: { text: `{"id":"${uuid}","content":${"[".repeat(400_000)}${"]".repeat(400_000)}}` },
      status: 400,
      code: "validation",
    },
    bad("without an id", { content: "hi" }),
    bad("without content", { id: "{new}" }),
    bad("an empty object", {}),
    bad("an array", [{ id: "{new}", content: "hi" }]),
    bad("a non-UUID id", { id: "message-1", content: "hi" }),
    bad("an id of the wrong type", { id: 7, content: "hi" }),
    bad("content of the wrong type", { id: "{new}", content: 42 }),
    bad("null content", { id: "{new}", content: null }),
    bad("content as parts", { id: "{new}", content: [{ type: "text", text: "hi" }] }),
    bad("empty content", { id: "{new}", content: "" }),
    bad("blank content", { id: "{new}", content: " \n\t " }),
    bad("content with NUL", { id: "{new}", content: "nul\u0000byte" }),
    bad("content with a lone high surrogate", { id: "{new}", content: `broken ${loneHigh} text` }),
    bad("content with a lone low surrogate", { id: "{new}", content: `${loneLow}` }),
    bad("content with surrogates in the wrong order", { id: "{new}", content: "\ude00\ud83d" }),
    bad("an unknown field", { id: "{new}", content: "hi", role: "assistant" }),
    bad("a non-UUID parentId", { id: "{new}", content: "hi", parentId: "reply" }),
    bad("a parentId of the wrong type", { id: "{new}", content: "hi", parentId: 3 }),
    ...badModels.map(([what, model]) =>
      bad(`a model ${what}`, { id: "{new}", content: "hi", model }),
    ),
    bad(
      "a model no endpoint offers",
      { id: "{new}", content: "hi", model: notOffered },
      400,
      "unknown_model",
    ),
    bad(
      "a parentId not in the conversation",
      { id: "{new}", content: "hi", parentId: "{new}" },
      404,
      "not_found",
    ),
    bad(
      "content over the character limit",
      { id: "{new}", content: "x".repeat(MAX_MESSAGE_CHARS + 1) },
      413,
      "too_large",
    ),
    bad(
      "content the model's context could never hold",
      { id: "{new}", content: "word ".repeat(8_000) },
      413,
      "too_large",
    ),
    bad(
      "a megabyte of emoji",
      { id: "{new}", content: "😀".repeat(MAX_BODY_BYTES / 4) },
      413,
      "too_large",
    ),
  ];
}

// ---------------------------------------------------------------------------------------------

describe.each(backends)("bad input on %s", (backend: Backend) => {
  let world: World;
  // What is stored before the first row. Every row must leave it as it was, so each one is
  // compared with it (one snapshot a row instead of two; the rows run first, in order, before
  // the tests below that do store something).
  let initially: Awaited<ReturnType<typeof stored>>;

  beforeAll(async () => {
    world = await makeWorld(backend);
    initially = await stored(world);
  });
  afterAll(async () => {
    await world?.db?.end();
    await world?.server.kill();
  });

  it.each(titled(rows))("%s", async (_title, row) => {
    const response = await perform(world, row);
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(row.status);
    expect(JSON.parse(text)).toMatchObject({
      error: { code: row.code, message: expect.any(String) },
    });
    expect(await stored(world)).toEqual(initially);
  });

  it("accepts a session cookie crafted like the expired one when it has not expired", async () => {
    // The expired-session rows mean something only if the crafting is right.
    const client = await craftedClient(world, 3600);
    expect((await client.fetch("/api/conversations")).status).toBe(200);
  });

  it.each(sqlInjections)("stores %j verbatim as content and as a title", async (text) => {
    const id = randomUUID();
    const reply = await readReply(await world.alice.send(id, text));
    expect(reply.finish?.status).toBe("complete");
    const [message] = await messagesOf(world.alice, id);
    expect(message?.content).toBe(text);
    const renamed = await world.alice.json(`/api/conversations/${id}`, "PATCH", { title: text });
    expect(renamed.status).toBe(200);
    const created = await world.alice.json("/api/conversations", "POST", { title: text });
    expect(created.status).toBe(201);
    for (const conversationId of [id, (await created.json()).id]) {
      const read = await (await world.alice.fetch(`/api/conversations/${conversationId}`)).json();
      expect(read.title).toBe(text);
    }
    // The tables the strings talk about are still there and still hold the fixture.
    const [first] = await messagesOf(world.alice, world.mine);
    expect(first?.content).toBe("Hello from the fixture");
  });

  it("stores SQL-looking account details verbatim", async () => {
    const email = `o'brien--${randomUUID().slice(0, 8)}@example.test`;
    const name = sqlInjections[2] ?? "";
    const anonymous = anonymousClient(world);
    const registered = await anonymous.json("/api/register", "POST", {
      email,
      password: "correct horse battery",
      name,
    });
    expect(registered.status).toBe(201);
    expect((await registered.json()).user.email).toBe(email);
    await anonymous.signIn(email, "correct horse battery");
    const session = await (await anonymous.fetch("/api/auth/session")).json();
    expect(session.user).toMatchObject({ email, name });
  });

  it("stores emoji whole: content verbatim and a title cut between characters", async () => {
    const id = randomUUID();
    const content = `a${"😀".repeat(80)} 👩‍👩‍👧‍👦`;
    const reply = await readReply(await world.alice.send(id, content));
    expect(reply.finish?.status).toBe("complete");
    const [message] = await messagesOf(world.alice, id);
    expect(message?.content).toBe(content);
    const conversation = await (await world.alice.fetch(`/api/conversations/${id}`)).json();
    expect(conversation.title).toBe(titleFromMessage(content));
    expect(conversation.title).not.toContain("\ufffd");
  });

  describe("Auth.js endpoints", () => {
    it.each([
      ["a wrong password", (w: World) => ({ email: w.alice.email, password: "wrong password" })],
      ["an unknown email", () => ({ email: `${randomUUID()}@example.test`, password: "whatever" })],
      ["a malformed email", () => ({ email: "' OR '1'='1", password: "whatever" })],
    ])("refuses a sign-in with %s: no session", async (_what, fields) => {
      const client = anonymousClient(world);
      const response = await client.signIn(...(Object.values(fields(world)) as [string, string]));
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/error=/);
      expect(client.hasSession()).toBe(false);
    });

    it("refuses a sign-in without the CSRF token: no session", async () => {
      const client = anonymousClient(world);
      const response = await client.fetch("/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: world.alice.email, password: "correct horse battery" }),
      });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/error=/);
      expect(client.hasSession()).toBe(false);
    });

    it("answers a forged session cookie with no session", async () => {
      const client = anonymousClient(world).setCookie(SESSION_COOKIE, "forged");
      const response = await client.fetch("/api/auth/session");
      expect(response.status).toBe(200);
      expect(await response.json()).toBeNull();
    });
  });

  // Last of this block (Vitest runs a file's tests in order): every row above has run.
  it("printed none of the texts, titles, passwords or share tokens it was sent", () => {
    const output = world.server.output().split("\n");
    const leaked = [...world.submitted].filter((text) => output.some((l) => l.includes(text)));
    expect(leaked).toEqual([]);
  });
});

describe("the table", () => {
  it("covers every method of every route under app/api", () => {
    const uncovered = routeMethods()
      // Readiness takes no input at all: nothing to feed it.
      .filter(({ route, method }) => !(route === "/api/health" && method === "GET"))
      // Auth.js's own endpoints have their own block above.
      .filter(({ route }) => !route.startsWith("/api/auth/"))
      .filter(({ route, method }) => {
        const pattern = new RegExp(`^${route.replace(/:[a-z]+/g, "[^/]+")}$`);
        return !rows.some(
          (row) => row.method === method && pattern.test(row.path.split("?")[0] ?? ""),
        );
      });
    expect(uncovered).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Rate limits: an expensive action past its budget answers 429 with Retry-After, having done
// nothing. Each budget is one here, used up before the rows run (Alice's share in makeWorld,
// a search, an import and an export below). "Continue in my account" is a server action, not a route:
// test/integration/user-limits.test.ts covers it, and the one import at a time.

const limitRows: Row[] = [
  {
    name: "search past RATE_LIMIT_SEARCHES_PER_MINUTE",
    method: "GET",
    path: "/api/search?q=hello",
    status: 429,
    code: "rate_limited",
  },
  {
    name: "search past the limit, another query",
    method: "GET",
    path: "/api/search?q=fixture&limit=5",
    status: 429,
    code: "rate_limited",
  },
  {
    name: "share past RATE_LIMIT_SHARES_PER_HOUR",
    method: "POST",
    path: "/api/conversations/{mine}/shares",
    body: { json: {} },
    status: 429,
    code: "rate_limited",
  },
  {
    name: "share past the limit, with an id of the client's",
    method: "POST",
    path: "/api/conversations/{mine}/shares",
    body: { json: { id: "{new}" } },
    status: 429,
    code: "rate_limited",
  },
  {
    name: "import past RATE_LIMIT_IMPORTS_PER_HOUR",
    method: "POST",
    path: "/api/import",
    body: { text: '[{"title":"One more","mapping":{}}]' },
    status: 429,
    code: "rate_limited",
  },
  {
    name: "export the account past RATE_LIMIT_EXPORTS_PER_HOUR",
    method: "GET",
    path: "/api/export",
    status: 429,
    code: "rate_limited",
  },
  {
    name: "import past the limit, an empty file",
    method: "POST",
    path: "/api/import",
    body: { json: [] },
    status: 429,
    code: "rate_limited",
  },
];

describe("over a rate limit: 429 with Retry-After", () => {
  let world: World;
  beforeAll(async () => {
    // The budgets are counted in fixed windows: the hourly ones from makeWorld's share on, and
    // the search's minute from the search below on, must each hold every row.
    await startEarlyInWindow(3_600_000, 120_000);
    world = await makeWorld("pglite", {
      RATE_LIMIT_SEARCHES_PER_MINUTE: "1",
      RATE_LIMIT_IMPORTS_PER_HOUR: "1",
      RATE_LIMIT_EXPORTS_PER_HOUR: "1",
      RATE_LIMIT_SHARES_PER_HOUR: "1",
    });
    await startEarlyInWindow(60_000, 30_000);
    const searched = await world.alice.fetch("/api/search?q=hello");
    const imported = await world.alice.json("/api/import", "POST", []);
    const exported = await world.alice.fetch("/api/export");
    await exported.text();
    if ([searched, imported, exported].some((response) => response.status !== 200)) {
      throw new Error("fixture failed");
    }
    // The waits for fresh windows come on top of the usual setup.
  }, 300_000);
  afterAll(async () => {
    await world?.db?.end();
    await world?.server.kill();
  });

  it.each(titled(limitRows))("%s", async (_title, row) => {
    const before = await stored(world);
    const response = await perform(world, row);
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(row.status);
    expect(JSON.parse(text)).toMatchObject({ error: { code: row.code } });
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await stored(world)).toEqual(before);
  });

  it("holds back only the user who spent the budget", async () => {
    expect((await world.bob.fetch("/api/search?q=hello")).status).toBe(200);
    expect((await world.bob.json("/api/import", "POST", [])).status).toBe(200);
    const exported = await world.bob.fetch("/api/export");
    expect(exported.status).toBe(200);
    await exported.text();
    expect(
      (await world.bob.json(`/api/conversations/${world.bobs}/shares`, "POST", {})).status,
    ).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------
// The 415 and 403 contract of mutating requests: checked by apiRoute before any handler runs.

// One backend is enough: the contract is checked before any database work.
describe("mutating requests: 415 for a non-JSON body, 403 for a cross-site request", () => {
  let world: World;
  beforeAll(async () => {
    world = await makeWorld("pglite");
  });
  afterAll(async () => {
    await world?.db?.end();
    await world?.server.kill();
  });

  const mutating = [
    ["POST", "/api/conversations", { title: "x" }],
    ["PATCH", "/api/conversations/{mine}", { title: "x" }],
    ["DELETE", "/api/conversations/{mine}", undefined],
    ["POST", "/api/conversations/{mine}/messages", { id: "{new}", content: "hi" }],
    ["POST", "/api/conversations/{mine}/regenerate", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/continue", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/switch", { messageId: "{reply}" }],
    ["POST", "/api/conversations/{mine}/fork", { messageId: "{reply}", conversationId: "{new}" }],
    ["POST", "/api/conversations/{mine}/stop", undefined],
    ["POST", "/api/conversations/{mine}/shares", {}],
    ["DELETE", "/api/shares/{share}", undefined],
    ["POST", "/api/register", { email: "{new}@example.test", password: "long enough" }],
    ["POST", "/api/import", []],
  ] as const;
  const contractRows: Row[] = mutating.flatMap(([method, path, json]): Row[] => {
    const as = path === "/api/register" ? "nobody" : "alice";
    const body = json === undefined ? undefined : { json };
    const name = `${method} ${readable(path)}`;
    return [
      ...[
        undefined,
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ].map(
        (type): Row => ({
          name: `${name} with ${type ? `Content-Type ${type}` : "no Content-Type"}`,
          method,
          path,
          body,
          as,
          headers: { "content-type": type ?? "" },
          status: 415,
          code: "unsupported_media_type",
        }),
      ),
      {
        name: `${name} with Sec-Fetch-Site: cross-site`,
        method,
        path,
        body,
        as,
        headers: { "sec-fetch-site": "cross-site" },
        status: 403,
        code: "forbidden",
      },
      {
        name: `${name} from a foreign Origin`,
        method,
        path,
        body,
        as,
        headers: { origin: "https://evil.example" },
        status: 403,
        code: "forbidden",
      },
    ];
  });

  it.each(titled(contractRows))("%s", async (_title, row) => {
    const before = await stored(world);
    const response = await perform(world, row);
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(row.status);
    expect(JSON.parse(text)).toMatchObject({ error: { code: row.code } });
    expect(await stored(world)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Plumbing.

/** `[title, row]` pairs: Vitest shortens `$name` in titles, and these names need to be read. */
function titled(table: Row[]): Array<[string, Row]> {
  return table.map((row) => [`${row.name} → ${row.status} ${row.code}`, row]);
}

async function makeWorld(backend: Backend, env: Record<string, string> = {}): Promise<World> {
  const server = await startServerOn(backend, {
    env: {
      RATE_LIMIT_SENDS_PER_MINUTE: "10000",
      RATE_LIMIT_LOGINS_PER_MINUTE: "10000",
      RATE_LIMIT_SEARCHES_PER_MINUTE: "10000",
      RATE_LIMIT_IMPORTS_PER_HOUR: "10000",
      RATE_LIMIT_EXPORTS_PER_HOUR: "10000",
      RATE_LIMIT_SHARES_PER_HOUR: "10000",
      IMPORT_MAX_BYTES: String(IMPORT_LIMIT),
      IMPORT_MAX_CONVERSATION_BYTES: String(IMPORT_CONVERSATION_LIMIT),
      ...env,
    },
  });
  const [alice, bob] = await Promise.all([signedInClient(server.url), signedInClient(server.url)]);
  const session = await (await alice.fetch("/api/auth/session")).json();
  const mine = randomUUID();
  const userMessage = randomUUID();
  const reply = await readReply(await alice.send(mine, "Hello from the fixture", userMessage));
  const bobs = randomUUID();
  const created = await bob.json("/api/conversations", "POST", { id: bobs });
  const shared = await alice.json(`/api/conversations/${mine}/shares`, "POST", {});
  if (!reply.start?.replyId || created.status !== 201 || shared.status !== 201) {
    throw new Error("fixture failed");
  }
  let db: pg.Client | undefined;
  if (server.env.DATABASE_URL) {
    db = new pg.Client({ connectionString: server.env.DATABASE_URL });
    await db.connect();
  }
  const share = await shared.json();
  return {
    server,
    alice,
    bob,
    aliceId: session.user.id,
    mine,
    userMessage,
    reply: reply.start.replyId,
    bobs,
    share: share.id,
    db,
    // The fixture's message, everyone's password (test/support/api-client.ts), the share token.
    submitted: new Set(["Hello from the fixture", "correct horse battery", share.path.slice(3)]),
  };
}

/** Everything the API could have written, as seen by both people (and, on Postgres, counted). */
async function stored(world: World) {
  const seenBy = async (client: ApiClient) => {
    const list = await (await client.fetch("/api/conversations?limit=100")).json();
    return Promise.all(
      list.items.map(async (conversation: { id: string }) => ({
        ...conversation,
        messages: await messagesOf(client, conversation.id),
      })),
    );
  };
  const counts = world.db
    ? (
        await world.db.query(
          "select (select count(*) from users) as users, (select count(*) from accounts) as accounts, (select count(*) from conversations) as conversations, (select count(*) from messages) as messages, (select count(*) from shares) as shares",
        )
      ).rows[0]
    : null;
  return { alice: await seenBy(world.alice), bob: await seenBy(world.bob), counts };
}

function fill(world: World, text: string): string {
  return text
    .replaceAll("{mine}", world.mine)
    .replaceAll("{userMessage}", world.userMessage)
    .replaceAll("{reply}", world.reply)
    .replaceAll("{bobs}", world.bobs)
    .replaceAll("{share}", world.share)
    .replaceAll("{aliceEmail}", world.alice.email.toUpperCase())
    .replace(/\{new\}/g, () => randomUUID());
}

async function perform(world: World, row: Row): Promise<Response> {
  const client = await clientFor(world, row.as ?? "alice");
  const headers: Record<string, string> = {};
  // Mutating requests say what they send, as every client must once the 415 rule is merged.
  if (row.method !== "GET") headers["content-type"] = "application/json";
  for (const [name, value] of Object.entries(row.headers ?? {})) {
    if (value) headers[name] = value;
    else delete headers[name];
  }
  const path = fill(world, row.path);
  const body = row.body;
  if (body && "chunkedBytes" in body) {
    return sendChunked(
      `${world.server.url}${path}`,
      row.method,
      headers,
      client,
      body.chunkedBytes,
    );
  }
  const init: RequestInit = { method: row.method, headers };
  if (body && "json" in body) {
    init.body = fill(world, JSON.stringify(body.json));
    remember(world, JSON.parse(init.body));
  } else if (body && "text" in body) init.body = body.text;
  else if (body && "bytes" in body) init.body = body.bytes;
  return client.fetch(path, init);
}

/** Keeps the texts, titles and passwords of a body (long enough to be told apart in a log). */
function remember(world: World, json: unknown) {
  if (Array.isArray(json)) for (const item of json) remember(world, item);
  if (typeof json !== "object" || json === null) return;
  for (const [key, value] of Object.entries(json)) {
    if (typeof value === "string" && ["content", "title", "password"].includes(key)) {
      if (value.length >= 8) world.submitted.add(value);
    } else remember(world, value);
  }
}

/**
 * `{"id":"…","content":"xxx…` streamed in 64 KB chunks, so with no Content-Length to declare.
 * Through node:http on a socket of its own: the server answers before the body is all sent and
 * closes the connection, which fetch's shared pool would then try to reuse.
 */
async function sendChunked(
  url: string,
  method: string,
  headers: Record<string, string>,
  client: ApiClient,
  bytes: number,
): Promise<Response> {
  const cookie = client.cookieHeader();
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method, agent: false, headers: { ...headers, ...(cookie ? { cookie } : {}) } },
      async (response) => {
        let text = "";
        for await (const chunk of response) text += chunk;
        resolve(new Response(text, { status: response.statusCode }));
      },
    );
    // Writing into a connection the server has already answered and closed fails; the answer
    // is what the test is about.
    request.on("error", (error) => {
      if (!request.writableEnded) return;
      reject(error);
    });
    request.write(`{"id":"${uuid}","content":"`);
    const chunk = Buffer.alloc(64 * 1024, "x");
    let sent = 0;
    const pump = () => {
      while (sent < bytes && !request.destroyed) {
        sent += chunk.byteLength;
        if (!request.write(chunk)) {
          request.once("drain", pump);
          return;
        }
      }
      request.end('"}');
    };
    pump();
  });
}

function anonymousClient(world: World): ApiClient {
  return new ApiClient(world.server.url);
}

async function clientFor(world: World, actor: Actor): Promise<ApiClient> {
  switch (actor) {
    case "alice":
      return world.alice;
    case "bob":
      return world.bob;
    case "nobody":
      return anonymousClient(world);
    case "a garbage session cookie":
      return anonymousClient(world).setCookie(SESSION_COOKIE, "eyJhbGciOiJkaXIifQ.forged");
    case "a session signed with another key":
      return craftedClient(world, 3600, "another-secret-0123456789abcdefghijklmnopqrstuvwxyz");
    case "an expired session":
      return craftedClient(world, -3600);
  }
}

/** A client holding a session cookie for Alice made here, as Auth.js would make it. */
async function craftedClient(world: World, maxAge: number, secret = TEST_AUTH_SECRET) {
  const token = await encode({
    token: { sub: world.aliceId, email: world.alice.email },
    secret,
    salt: SESSION_COOKIE,
    maxAge,
  });
  return anonymousClient(world).setCookie(SESSION_COOKIE, token);
}

/** `{ route, method }` for every exported handler of every app/api/**\/route.ts. */
function routeMethods(): Array<{ route: string; method: string }> {
  const root = path.resolve(import.meta.dirname, "../../app/api");
  const found: Array<{ route: string; method: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = readFileSync(full, "utf8");
        const route = `/api/${path.relative(root, dir)}`
          .replace(/\[\.\.\.[^\]]+\]/g, "*")
          .replace(/\[([^\]]+)\]/g, ":$1");
        const methods = new Set<string>();
        for (const match of source.matchAll(
          /export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g,
        )) {
          methods.add(match[1] ?? "");
        }
        for (const match of source.matchAll(/export const \{([^}]+)\}/g)) {
          for (const name of (match[1] ?? "").split(",")) methods.add(name.trim());
        }
        for (const method of methods) found.push({ route, method });
      }
    }
  };
  walk(root);
  return found;
}
