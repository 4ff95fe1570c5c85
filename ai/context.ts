// Pure and dependency-free on purpose: the browser may import it to show what the model will see.

export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
}

export interface ContextMessage {
  role: "user" | "assistant";
  content: string;
}

export interface BuiltContext {
  system: string;
  messages: ContextMessage[];
  /** Ids of the stored messages sent to the model, oldest first. */
  includedIds: string[];
  /** Distinct, non-empty stored messages left out because they did not fit the budget. */
  omitted: number;
}

// Role markers and separators cost a few tokens per message in every chat format.
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * A deliberately simple, deterministic estimate (about four characters per token). It need not
 * match any real tokenizer; the budget is configured with headroom for the difference.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + MESSAGE_OVERHEAD_TOKENS;
}

/**
 * Picks the history to send: the system prompt always, then the newest whole messages that fit
 * the rest of the budget. The result is a contiguous suffix of the conversation — skipping a
 * large message to reach older ones would show the model a conversation with a hole in it.
 */
export function buildContext({
  systemPrompt,
  history,
  budgetTokens,
  countTokens = estimateTokens,
}: {
  systemPrompt: string;
  history: readonly StoredMessage[];
  budgetTokens: number;
  countTokens?: (text: string) => number;
}): BuiltContext {
  const newestFirst = usableMessagesNewestFirst(history);
  let remaining = budgetTokens - countTokens(systemPrompt);
  const included: StoredMessage[] = [];
  for (const message of newestFirst) {
    const cost = countTokens(message.content);
    if (cost > remaining) break;
    remaining -= cost;
    included.push(message);
  }
  included.reverse();

  return {
    system: systemPrompt,
    messages: included.map(({ role, content }) => ({ role, content })),
    includedIds: included.map(({ id }) => id),
    omitted: newestFirst.length - included.length,
  };
}

// A message can be listed twice (e.g. a retried append); its latest position is the true one.
// Empty messages (a reply that failed before any text) would only confuse the model.
function usableMessagesNewestFirst(history: readonly StoredMessage[]): StoredMessage[] {
  const seen = new Set<string>();
  const usable: StoredMessage[] = [];
  for (const message of [...history].reverse()) {
    if (seen.has(message.id)) continue;
    seen.add(message.id);
    if (message.content.trim() !== "") usable.push(message);
  }
  return usable;
}
