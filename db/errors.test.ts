import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, postgresError, UNIQUE_VIOLATION } from "./errors";

/** An error as a driver raises it: a `code` (and constraint), wrapped by Drizzle as `cause`. */
function driverError(code: string, constraint?: string) {
  return new Error("Failed query", {
    cause: Object.assign(new Error("boom"), { code, constraint }),
  });
}

describe("postgresError", () => {
  // One code of every class Postgres defines (errcodes.txt), and a few of its own subclasses.
  it.each([
    ..."00000 01000 02000 03000 08000 09000 0A000 0B000 0F000 0L000 0P000 0Z000 10608 20000 21000 22000 23000 24000 25000 26000 27000 28000 2B000 2D000 2F000 34000 38000 39000 3B000 3D000 3F000 40000 42000 44000 53000 54000 55000 57000 58000 F0000 HV000 P0000 XX000".split(
      " ",
    ),
    UNIQUE_VIOLATION,
    "08006",
    "0A000",
    "22P02",
    "2BP01",
    "42P01",
    "53300",
    "57P01",
    "HV00R",
    "P0001",
    "XX000",
  ])("reads the SQLSTATE %s", (code) => {
    expect(postgresError(driverError(code, "some_idx"))).toEqual({ code, constraint: "some_idx" });
  });

  // Node's system error codes are upper case too, and some are five letters long.
  it.each(["EPIPE", "EBADF", "EPERM", "EBUSY", "EROFS", "E2BIG", "ECONNRESET"])(
    "does not take Node's %s for a SQLSTATE",
    (code) => {
      expect(postgresError(driverError(code))).toBeUndefined();
    },
  );

  it("finds the SQLSTATE under a Node error code in the chain", () => {
    const error = Object.assign(new Error("outer"), { code: "EPIPE", cause: driverError("23505") });
    expect(postgresError(error)?.code).toBe("23505");
  });
});

describe("isDatabaseUnavailable", () => {
  it.each(["EPIPE", "ECONNRESET", "ECONNREFUSED", "ETIMEDOUT", "ENOTFOUND"])(
    "counts %s, a broken connection, as the database being unavailable",
    (code) => {
      expect(isDatabaseUnavailable(driverError(code))).toBe(true);
    },
  );

  it.each(["08006", "53300", "57P01"])("counts the SQLSTATE %s as unavailable", (code) => {
    expect(isDatabaseUnavailable(driverError(code))).toBe(true);
  });

  it.each([UNIQUE_VIOLATION, "22P02", "42P01", "EBADF"])("does not count %s", (code) => {
    expect(isDatabaseUnavailable(driverError(code))).toBe(false);
  });
});
