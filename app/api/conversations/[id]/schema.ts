import { z } from "zod";
import { idSchema, messageContentSchema, titleSchema } from "@/lib/validation";

export const conversationParams = z.object({ id: idSchema });

export const renameBody = z.object({ title: titleSchema });

export const messagesQuery = z.object({
  before: z.coerce.number().int().min(1).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const sendBody = z.object({ id: idSchema, content: messageContentSchema });

export const restartBody = z.object({
  messageId: idSchema,
  mode: z.enum(["regenerate", "continue"]),
});
