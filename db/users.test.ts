import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { Database } from "@/db";
import { ConflictError, ValidationError } from "@/lib/errors";
import { describeOnEachDriver, queryRows } from "@/test/support/databases";
import { createUser, getUserByEmail } from "./index";

describeOnEachDriver("users", (db) => {
  it("stores a user under a normalised email and finds them by it", async () => {
    const email = `Mixed.Case-${randomUUID()}@Example.TEST`;
    const user = await createUser(db(), { email: `  ${email} `, name: "Ada" });
    expect(user.email).toBe(email.toLowerCase());
    expect(await getUserByEmail(db(), { email })).toMatchObject({ id: user.id, name: "Ada" });
    expect(await getUserByEmail(db(), { email: `nobody-${randomUUID()}@example.test` })).toBeNull();
  });

  it("refuses a second account with the same email", async () => {
    const email = `twice-${randomUUID()}@example.test`;
    await createUser(db(), { email });
    await expect(createUser(db(), { email: email.toUpperCase() })).rejects.toBeInstanceOf(
      ConflictError,
    );
  });

  it("rejects a malformed email and stores nothing", async () => {
    const before = await userCount(db());
    await expect(createUser(db(), { email: "not-an-email" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(createUser(db(), { email: "a\u0000b@example.test" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await userCount(db())).toBe(before);
  });
});

async function userCount(db: Database): Promise<number> {
  const [row] = await queryRows<{ count: number | string }>(
    db,
    sql`select count(*)::int as count from users`,
  );
  return Number(row?.count);
}
