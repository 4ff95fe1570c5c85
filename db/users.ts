import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { ConflictError } from "@/lib/errors";
import { emailSchema, idSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { type User, users } from "./schema";

const createUserInput = z.object({
  email: emailSchema,
  name: z.string().trim().max(200).optional(),
  passwordHash: z.string().min(1).max(1000).optional(),
});

export async function createUser(
  db: Database,
  input: { email: string; name?: string; passwordHash?: string },
): Promise<User> {
  const values = parseInput(createUserInput, input);
  const [created] = await db.insert(users).values(values).onConflictDoNothing().returning();
  if (!created) throw new ConflictError("An account with this email already exists");
  return created;
}

export async function getUserByEmail(db: Database, input: { email: string }): Promise<User | null> {
  const { email } = parseInput(z.object({ email: emailSchema }), input);
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  return user ?? null;
}

export async function getUserById(db: Database, input: { userId: string }): Promise<User | null> {
  const { userId } = parseInput(z.object({ userId: idSchema }), input);
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  return user ?? null;
}
