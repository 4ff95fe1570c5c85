import { continueReply, regenerateReply } from "@/chat";
import { existingReplyRoute } from "../reply-route";
import { regenerateBody } from "../schema";

// Route segment config (a literal: Next.js reads it from the source): the longest this request
// may run on a host that enforces a limit, the generation `after()` keeps alive past the response
// included. 300 s is the most Vercel's Hobby plan allows (Pro and Enterprise go to 800 s). A
// reply cut off there is interrupted, not lost, and can be continued (docs/operations.md).
export const maxDuration = 300;

/**
 * Generates the reply again from nothing. Older clients also continued a reply here, with
 * `mode: "continue"`: still honoured, the same as POST …/continue.
 */
export const POST = existingReplyRoute(regenerateBody, ({ mode }) =>
  mode === "continue" ? continueReply : regenerateReply,
);
