import { z } from "zod";
import { idSchema, messageContentSchema, titleSchema } from "@/lib/validation";

export const conversationParams = z.object({ id: idSchema });

// Request bodies are strict: a field the API does not know (a typo, or `role`/`status` hoping
// to be stored) is refused with 400 rather than silently dropped.
export const renameBody = z.strictObject({ title: titleSchema });

const sequence = z.coerce.number().int().max(2_147_483_647);

// One of `before` (the page older than a sequence), `after` (the page newer than one) or
// `around` (a page centred on one); none: the newest page.
export const messagesQuery = z
  .object({
    before: sequence.min(1).optional(),
    after: sequence.min(0).optional(),
    around: sequence.min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).optional(),
  })
  .refine(
    (query) => [query.before, query.after, query.around].filter((v) => v !== undefined).length <= 1,
    "before, after and around cannot be combined",
  );

export const sendBody = z.strictObject({ id: idSchema, content: messageContentSchema });

export const regenerateBody = z.strictObject({
  messageId: idSchema,
  // Kept for older clients, which sent both operations to …/regenerate and said which one here:
  // `continue` continues the reply (as POST …/continue does), `regenerate` changes nothing.
  mode: z.enum(["regenerate", "continue"]).optional(),
});

export const continueBody = z.strictObject({ messageId: idSchema });

export const switchBody = z.strictObject({ messageId: idSchema });

export const exportQuery = z.object({ format: z.enum(["md", "json"]) });
