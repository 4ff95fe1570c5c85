import { z } from "zod";
import { searchQuerySchema } from "@/lib/search-query";
import { cursorSchema } from "@/lib/validation";

export const searchQuery = z.object({
  q: searchQuerySchema,
  cursor: cursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});
