import { z } from "zod";
import { cleanText, emailSchema } from "@/lib/validation";

// Strict: a field the API does not know is a client's mistake worth hearing about.
export const registerBody = z.strictObject({
  email: emailSchema,
  password: cleanText(
    z
      .string({ message: "must be a string" })
      .min(8, "must be at least 8 characters")
      .max(200, "must be at most 200 characters"),
  ),
  name: cleanText(z.string({ message: "must be a string" }).trim().min(1).max(100)).optional(),
});
