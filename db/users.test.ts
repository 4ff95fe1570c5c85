import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { ConflictError, ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
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
    await expect(createUser(db(), { email: "not-an-email" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(createUser(db(), { email: "a\u0000b@example.test" })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await getUserByEmail(db(), { email: "not-an-email@x.test" })).toBeNull();
  });
});
