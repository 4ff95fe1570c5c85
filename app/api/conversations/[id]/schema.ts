import { z } from "zod";
import { idSchema, messageContentSchema, titleSchema } from "@/lib/validation";

export const conversationParams = z.object({ id: idSchema });

// Request bodies are strict: a field the API does not know (a typo, or `role`/`status` hoping
// to be stored) is refused with 400 rather than silently dropped.
export const renameBody = z.strictObject({ title: titleSchema });

export const messagesQuery = z.object({
  before: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const sendBody = z.strictObject({ id: idSchema, content: messageContentSchema });

export const restartBody = z.strictObject({
  messageId: idSchema,
  mode: z.enum(["regenerate", "continue"]),
});

export const exportQuery = z.object({ format: z.enum(["md", "json"]) });
