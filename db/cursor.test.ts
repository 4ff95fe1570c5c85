import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { describeOnEachDriver } from "@/test/support/databases";
import { makeUser } from "@/test/support/factories";
import { decodeKeyset, encodeKeyset } from "./cursor";
import { listConversations, listShares, searchMessages } from "./index";

/** A cursor as a client could forge one: our format around any date text. */
const forge = (at: string, id = randomUUID()) =>
  Buffer.from(JSON.stringify([at, id])).toString("base64url");

// Dates JavaScript reads but Postgres refuses (year 0, past year 9999, before year 1): a
// cursor carrying one used to reach the query and fail there, as a 500.
const UNSTORABLE = [
  "0000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "+010000-01-01T00:00:00Z",
  "-271821-04-20T00:00:00Z",
];
// The first and last instants of the accepted range.
const EDGES = ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"];

describe("cursors", () => {
  it("round-trips a keyset position", () => {
    const position = { at: new Date("2026-11-26T10:00:00.123Z"), id: randomUUID() };
    expect(decodeKeyset(encodeKeyset(position))).toEqual(position);
  });

  it("rejects anything it did not make", () => {
    for (const forged of ["", "abc", Buffer.from('["nope","x"]').toString("base64url")]) {
      expect(() => decodeKeyset(forged)).toThrow(ValidationError);
    }
  });

  it.each(UNSTORABLE)("rejects a cursor dated %s", (at) => {
    expect(() => decodeKeyset(forge(at))).toThrow(ValidationError);
  });

  it.each(EDGES)("reads a cursor dated %s", (at) => {
    expect(decodeKeyset(forge(at)).at.toISOString()).toBe(at);
  });
});

// Every keyset reader, with the dates above: a 400 before the query, and the edges of the
// range read by each driver without an error.
describeOnEachDriver("keyset cursors", (db) => {
  const readers = {
    listConversations: (userId: string, cursor: string) =>
      listConversations(db(), { userId, cursor }),
    listShares: (userId: string, cursor: string) => listShares(db(), { userId, cursor }),
    searchMessages: (userId: string, cursor: string) =>
      searchMessages(db(), { userId, query: "hello", cursor }),
  };

  it.each(Object.keys(readers) as Array<keyof typeof readers>)(
    "%s refuses dates Postgres cannot store, and reads the edges of the range",
    async (name) => {
      const user = await makeUser(db());
      for (const at of UNSTORABLE) {
        await expect(readers[name](user.id, forge(at)), at).rejects.toBeInstanceOf(ValidationError);
      }
      for (const at of EDGES) {
        await expect(readers[name](user.id, forge(at)), at).resolves.toMatchObject({
          items: [],
        });
      }
    },
  );
});
