import { continueReply } from "@/chat";
import { existingReplyRoute } from "../reply-route";
import { continueBody } from "../schema";

// Route segment config, a literal as Next.js reads it from the source: as long as a generation
// may run (the same limit as …/messages and …/regenerate, which say why).
export const maxDuration = 300;

/** Extends the reply from its stored text. */
export const POST = existingReplyRoute(continueBody, () => continueReply);
