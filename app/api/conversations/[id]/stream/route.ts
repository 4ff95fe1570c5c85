import { requireApiUser } from "@/auth";
import { resumeReply } from "@/chat";
import { parseInput } from "@/lib/validation";
import { database } from "@/server/database";
import { apiRoute, replyStreamResponse } from "@/server/http";
import { conversationParams } from "../schema";

// Route segment config (a literal: Next.js reads it from the source): the longest this request
// may run on a host that enforces a limit; 300 s is the most Vercel's Hobby plan allows (Pro and
// Enterprise go to 800 s). A follower cut off there ends without `finish`, and the browser
// resumes (docs/operations.md).
export const maxDuration = 300;

export const GET = apiRoute<{ id: string }>(async (_request, params) => {
  const user = await requireApiUser();
  const { id } = parseInput(conversationParams, params);
  const stream = await resumeReply(await database(), { userId: user.id, conversationId: id });
  if (!stream) return new Response(null, { status: 204 });
  return replyStreamResponse(stream);
});
