import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { claimImportLease, releaseImportLease, renewImportLease } from "./index";
import { importLeases, users } from "./schema";

const MS = 60_000;

describeOnEachDriver("import leases", (db) => {
  it("lets one import per user hold the lease until it releases it", async () => {
    const [alice, bob] = [await makeUser(db()), await makeUser(db())];
    const [first, second] = [randomUUID(), randomUUID()];
    expect(await claimImportLease(db(), { userId: alice.id, holder: first, ms: MS })).toBe(true);
    expect(await claimImportLease(db(), { userId: alice.id, holder: second, ms: MS })).toBe(false);
    // Someone else's import is not held up.
    expect(await claimImportLease(db(), { userId: bob.id, holder: second, ms: MS })).toBe(true);
    // Only the holder ends it.
    await releaseImportLease(db(), { userId: alice.id, holder: second });
    expect(await claimImportLease(db(), { userId: alice.id, holder: second, ms: MS })).toBe(false);
    await releaseImportLease(db(), { userId: alice.id, holder: first });
    expect(await claimImportLease(db(), { userId: alice.id, holder: second, ms: MS })).toBe(true);
  });

  it("gives of two concurrent claims the lease to exactly one", async () => {
    const alice = await makeUser(db());
    const claims = await Promise.all(
      Array.from({ length: 8 }, () =>
        claimImportLease(db(), { userId: alice.id, holder: randomUUID(), ms: MS }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("hands over an expired lease (its server died) and tells its old holder", async () => {
    const alice = await makeUser(db());
    const [dead, next] = [randomUUID(), randomUUID()];
    expect(await claimImportLease(db(), { userId: alice.id, holder: dead, ms: MS })).toBe(true);
    // What the clock does to a lease nobody renews.
    await db()
      .update(importLeases)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(importLeases.userId, alice.id));
    expect(await claimImportLease(db(), { userId: alice.id, holder: next, ms: MS })).toBe(true);
    expect(await renewImportLease(db(), { userId: alice.id, holder: dead, ms: MS })).toBe(false);
    expect(await renewImportLease(db(), { userId: alice.id, holder: next, ms: MS })).toBe(true);
  });

  it("renews the holder's lease past its old expiry", async () => {
    const alice = await makeUser(db());
    const holder = randomUUID();
    await claimImportLease(db(), { userId: alice.id, holder, ms: 1000 });
    const expiry = async () =>
      (
        await db()
          .select({ at: importLeases.expiresAt })
          .from(importLeases)
          .where(eq(importLeases.userId, alice.id))
      )[0]?.at.getTime() ?? 0;
    const before = await expiry();
    expect(await renewImportLease(db(), { userId: alice.id, holder, ms: MS })).toBe(true);
    expect(await expiry()).toBeGreaterThan(before + MS / 2);
  });

  it("goes with its user", async () => {
    const alice = await makeUser(db());
    await claimImportLease(db(), { userId: alice.id, holder: randomUUID(), ms: MS });
    await db().delete(users).where(eq(users.id, alice.id));
    const left = await db().select().from(importLeases).where(eq(importLeases.userId, alice.id));
    expect(left).toEqual([]);
  });
});
