import { z } from "zod";
import { emailSchema } from "@/lib/validation";

export const registerBody = z.object({
  email: emailSchema,
  password: z
    .string({ message: "must be a string" })
    .min(8, "must be at least 8 characters")
    .max(200, "must be at most 200 characters")
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters"),
  name: z.string().trim().min(1).max(100).optional(),
});
