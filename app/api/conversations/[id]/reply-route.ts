import { after } from "next/server";
import type { z } from "zod";
import { requireApiUser } from "@/auth";
import type { regenerateReply, ServedReply } from "@/chat";
import type { ModelRef } from "@/lib/model-ref";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson, replyStreamResponse } from "@/server/http";
import { conversationParams } from "./schema";

/**
 * The answer to a request that started a reply run: the reply's stream, at once. The browser may
 * leave before the reply ends (the run goes on), and a serverless host freezes the function once
 * the response is over: `after()` keeps it alive until the reply is stored.
 */
export function servedReplyResponse(reply: ServedReply): Response {
  after(reply.generated);
  return replyStreamResponse(reply.stream);
}

/** A flow operation that runs an existing reply again: `regenerateReply` or `continueReply`. */
type ExistingReplyOperation = typeof regenerateReply;

/**
 * The POST handler of an operation on an existing reply (…/regenerate, …/continue): one body
 * `{ messageId, … }`, the operation chosen from it, and the same checks and answers for each.
 */
export function existingReplyRoute<
  Body extends { messageId: string; replyId?: string; model?: ModelRef },
>(bodySchema: z.ZodType<Body>, operationFor: (body: Body) => ExistingReplyOperation) {
  return apiRoute<{ id: string }>(async (request, params) => {
    const user = await requireApiUser();
    const { id } = parseInput(conversationParams, params);
    const body = await readJson(request, bodySchema);
    const reply = await operationFor(body)(await database(), {
      userId: user.id,
      conversationId: id,
      replyId: body.messageId,
      newReplyId: body.replyId,
      model: body.model,
    });
    return servedReplyResponse(reply);
  });
}
