import "server-only";
import { type BuiltContext, buildContext, estimateTokens } from "@/ai/context";
import { type Database, getMessages, type StoredMessage } from "@/db";

const PAGE = 200;

/** What the model may see of a stored message: finished or partial replies, never failed ones. */
function belongsInContext(message: StoredMessage): boolean {
  if (message.role === "user") return true;
  return (
    message.content.length > 0 && message.status !== "failed" && message.status !== "streaming"
  );
}

/**
 * Rebuilds the model's context from the database: the newest whole messages before the reply
 * (sequence < `beforeSequence`) that fit the token budget. Reads pages backwards only until the
 * budget is spent, so a long conversation costs no more than a short one.
 */
export async function loadContext(
  db: Database,
  input: {
    userId: string;
    conversationId: string;
    beforeSequence: number;
    systemPrompt: string;
    budgetTokens: number;
  },
): Promise<BuiltContext> {
  const history: StoredMessage[] = [];
  let spent = estimateTokens(input.systemPrompt);
  let before = input.beforeSequence;
  while (spent <= input.budgetTokens && before > 1) {
    const page = await getMessages(db, {
      userId: input.userId,
      conversationId: input.conversationId,
      before,
      limit: PAGE,
    });
    const usable = page.items.filter(belongsInContext);
    history.unshift(...usable);
    spent += usable.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    const oldest = page.items[0];
    if (!page.hasMore || !oldest) break;
    before = oldest.sequence;
  }
  return buildContext({
    systemPrompt: input.systemPrompt,
    history: history.map(({ id, role, content }) => ({ id, role, content })),
    budgetTokens: input.budgetTokens,
  });
}
