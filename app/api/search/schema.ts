import { z } from "zod";
import { searchQuerySchema } from "@/lib/search-query";

export const searchQuery = z.object({
  q: searchQuerySchema,
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).optional(),
});
