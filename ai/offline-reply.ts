import "server-only";

// The offline model's words, kept apart from the streaming plumbing so the rules are easy to read.

export interface OfflineTurn {
  role: "user" | "assistant";
  text: string;
}

const QUOTE_MAX_CHARS = 80;

const FILLER_VOCABULARY = [
  "this",
  "reply",
  "is",
  "generated",
  "locally",
  "so",
  "the",
  "app",
  "works",
  "without",
  "a",
  "network",
  "connection",
  "or",
  "an",
  "api",
  "key",
  "and",
  "every",
  "word",
  "streams",
  "in",
  "order",
  "while",
  "your",
  "conversation",
  "stays",
  "saved",
  "safely",
  "on",
  "server",
  "meanwhile",
] as const;

/**
 * The complete reply for a conversation: an opening that proves which context arrived, padded
 * with filler to exactly `replyWords` words. Same conversation, same text — which is what lets
 * an interrupted reply be continued seamlessly.
 */
export function composeOfflineReply(conversation: readonly OfflineTurn[], replyWords: number) {
  const userTurns = conversation.filter((turn) => turn.role === "user");
  const first = quote(userTurns[0]?.text ?? "");
  const last = quote(userTurns.at(-1)?.text ?? "");
  const opening =
    `Offline model: I received ${conversation.length} messages of context. ` +
    `Your first message was “${first}”. Your latest message is “${last}”.`;

  const fillerCount = replyWords - countWords(opening);
  if (fillerCount <= 0) return opening;
  return `${opening} ${fillerWords(hashConversation(conversation), fillerCount)}`;
}

/** Cuts text into word-sized deltas ("word ") whose concatenation is exactly the input. */
export function splitIntoDeltas(text: string): string[] {
  return text.match(/\s*\S+\s*|\s+/g) ?? [];
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word !== "").length;
}

// Whitespace is collapsed so a quoted message never adds line breaks or changes the word count
// arithmetic; truncation counts code points so an emoji is never cut in half.
function quote(text: string): string {
  const collapsed = text.replace(/\s+/g, " ").trim();
  const characters = Array.from(collapsed);
  if (characters.length <= QUOTE_MAX_CHARS) return collapsed;
  return `${characters.slice(0, QUOTE_MAX_CHARS).join("").trimEnd()}…`;
}

function fillerWords(seed: number, count: number): string {
  const next = seededRandom(seed);
  const words = Array.from(
    { length: count },
    () => FILLER_VOCABULARY[Math.floor(next() * FILLER_VOCABULARY.length)] ?? "word",
  );
  return `${words.join(" ")}.`;
}

// FNV-1a over the turns: cheap, stable across runs and platforms, and sensitive to every char.
function hashConversation(conversation: readonly OfflineTurn[]): number {
  let hash = 0x811c9dc5;
  for (const turn of conversation) {
    for (const char of `${turn.role}\u0000${turn.text}\u0001`) {
      hash ^= char.codePointAt(0) ?? 0;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  return hash;
}

// mulberry32: a tiny deterministic generator; Math.random would break reproducibility.
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
