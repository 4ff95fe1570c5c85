import "server-only";
import { type BuiltContext, buildContext, estimateTokens } from "@/ai/context";
import { type ContextRow, type Database, getContextPage } from "@/db";

const PAGE = 200;

/** What the model may see of a stored message: finished or partial replies, never failed ones. */
function belongsInContext(message: ContextRow): boolean {
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
  const history: ContextRow[] = [];
  let spent = estimateTokens(input.systemPrompt);
  let before = input.beforeSequence;
  while (spent <= input.budgetTokens && before > 1) {
    // Newest first: the page is read back to front.
    const page = await getContextPage(db, {
      userId: input.userId,
      conversationId: input.conversationId,
      before,
      limit: PAGE,
    });
    const usable = page.filter(belongsInContext).reverse();
    history.unshift(...usable);
    spent += usable.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    const oldest = page.at(-1);
    if (page.length < PAGE || !oldest) break;
    before = oldest.sequence;
  }
  return buildContext({
    systemPrompt: input.systemPrompt,
    history: history.map(({ id, role, content }) => ({ id, role, content })),
    budgetTokens: input.budgetTokens,
  });
}
