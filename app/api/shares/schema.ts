import { z } from "zod";
import { cursorSchema, idSchema } from "@/lib/validation";

export const shareParams = z.object({ id: idSchema });

export const listSharesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: cursorSchema.optional(),
});

// The body is optional: an id of the client's makes a retried create find the same share.
export const createShareBody = z.strictObject({ id: idSchema.optional() }).optional();
