import { after } from "next/server";
import { requireApiUser } from "@/auth";
import { continueReply, regenerateReply } from "@/chat";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, readJson, replyStreamResponse } from "@/server/http";
import { conversationParams, restartBody } from "../schema";

// Route segment config (a literal: Next.js reads it from the source): the longest this request
// may run on a host that enforces a limit, the generation `after()` keeps alive past the response
// included. 300 s is the most Vercel's Hobby plan allows (Pro and Enterprise go to 800 s). A
// reply cut off there is interrupted, not lost, and can be continued (docs/operations.md).
export const maxDuration = 300;

export const POST = apiRoute<{ id: string }>(async (request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const { messageId, mode } = await readJson(request, restartBody);
  const operation = mode === "continue" ? continueReply : regenerateReply;
  const reply = await operation(await database(), {
    userId: user.id,
    conversationId: id,
    replyId: messageId,
  });
  // The browser may leave before the reply ends (the run goes on), and a serverless host
  // freezes the function once the response is over: keep it alive until the reply is stored.
  after(reply.generated);
  return replyStreamResponse(reply.stream);
});
