import "server-only";
import { type BuiltContext, buildContext, estimateTokens } from "@/ai/context";
import { type BranchMessage, type Database, getBranchPage } from "@/db";

// The most a branch page holds (MESSAGE_PAGE_MAX): fewer round trips for a long history.
const PAGE = 200;

/** What the model may see of a stored message: finished or partial replies, never failed ones. */
function belongsInContext(message: BranchMessage): boolean {
  if (message.role === "user") return true;
  return (
    message.content.length > 0 && message.status !== "failed" && message.status !== "streaming"
  );
}

/**
 * Rebuilds the model's context from the database: the reply's ancestors (the branch it ends,
 * never another version) that are whole messages and fit the token budget, newest kept first.
 * Reads pages of the branch backwards only until the budget is spent, so a long conversation
 * costs no more than a short one.
 */
export async function loadContext(
  db: Database,
  input: {
    userId: string;
    conversationId: string;
    /** The reply being generated: the branch that ends at it, less itself. */
    replyId: string;
    systemPrompt: string;
    budgetTokens: number;
  },
): Promise<BuiltContext> {
  const history: BranchMessage[] = [];
  let spent = estimateTokens(input.systemPrompt);
  let beforeDepth: number | undefined;
  while (spent <= input.budgetTokens) {
    const page = await getBranchPage(db, {
      userId: input.userId,
      conversationId: input.conversationId,
      leafId: input.replyId,
      beforeDepth,
      limit: PAGE,
    });
    // Oldest first; the reply itself (the first page's last row) is what is being written.
    const usable = page.items.filter(
      (message) => message.id !== input.replyId && belongsInContext(message),
    );
    history.unshift(...usable);
    spent += usable.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    const oldest = page.items[0];
    if (!page.hasMore || !oldest) break;
    beforeDepth = oldest.depth;
  }
  return buildContext({
    systemPrompt: input.systemPrompt,
    history: history.map(({ id, role, content }) => ({ id, role, content })),
    budgetTokens: input.budgetTokens,
  });
}
