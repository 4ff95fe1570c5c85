import "server-only";
import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { idSchema, parseInput } from "@/lib/validation";
import type { Database } from "./client";
import { importLeases } from "./schema";

const leaseInput = z.object({
  userId: idSchema,
  holder: idSchema,
  ms: z.number().int().min(1000).max(3_600_000),
});

const expiresIn = (ms: number) => sql`now() + ${ms}::int * interval '1 millisecond'`;

/**
 * Claims the user's import lease for `holder` for `ms` (on the database's clock, which every
 * instance shares). True when it is now `holder`'s: there was none, or the one there had
 * expired (its server died or stopped renewing it). False while another import holds it. One
 * statement, so of two concurrent claims exactly one wins.
 */
export async function claimImportLease(
  db: Database,
  input: { userId: string; holder: string; ms: number },
): Promise<boolean> {
  const { userId, holder, ms } = parseInput(leaseInput, input);
  const claimed = await db
    .insert(importLeases)
    .values({ userId, holder, expiresAt: expiresIn(ms) })
    .onConflictDoUpdate({
      target: importLeases.userId,
      set: { holder, expiresAt: expiresIn(ms) },
      setWhere: lt(importLeases.expiresAt, sql`now()`),
    })
    .returning({ holder: importLeases.holder });
  return claimed.length === 1;
}

/**
 * Extends `holder`'s lease to `ms` from now. False when it is no longer `holder`'s: it expired
 * and another import took it, or the user is gone.
 */
export async function renewImportLease(
  db: Database,
  input: { userId: string; holder: string; ms: number },
): Promise<boolean> {
  const { userId, holder, ms } = parseInput(leaseInput, input);
  const renewed = await db
    .update(importLeases)
    .set({ expiresAt: expiresIn(ms) })
    .where(and(eq(importLeases.userId, userId), eq(importLeases.holder, holder)))
    .returning({ holder: importLeases.holder });
  return renewed.length === 1;
}

/** Ends `holder`'s lease; nothing when it is not `holder`'s any more. */
export async function releaseImportLease(
  db: Database,
  input: { userId: string; holder: string },
): Promise<void> {
  const { userId, holder } = parseInput(leaseInput.omit({ ms: true }), input);
  await db
    .delete(importLeases)
    .where(and(eq(importLeases.userId, userId), eq(importLeases.holder, holder)));
}
