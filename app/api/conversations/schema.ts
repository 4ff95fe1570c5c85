import { z } from "zod";
import { modelRefSchema } from "@/lib/model-ref-schema";
import { cursorSchema, idSchema, titleSchema } from "@/lib/validation";

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: cursorSchema.optional(),
});

// Strict, like every request body: unknown fields are refused (400), not dropped.
export const createBody = z
  .strictObject({
    id: idSchema.optional(),
    title: titleSchema.optional(),
    model: modelRefSchema.optional(),
  })
  .optional()
  .transform((body) => body ?? {});
