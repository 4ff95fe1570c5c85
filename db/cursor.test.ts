import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { ValidationError } from "@/lib/errors";
import { decodeCursor, encodeCursor } from "./cursor";

it("round-trips a keyset position", () => {
  const position = { updatedAt: new Date("2026-11-26T10:00:00.123Z"), id: randomUUID() };
  expect(decodeCursor(encodeCursor(position))).toEqual(position);
});

it("rejects anything it did not make", () => {
  for (const forged of ["", "abc", Buffer.from('["nope","x"]').toString("base64url")]) {
    expect(() => decodeCursor(forged)).toThrow(ValidationError);
  }
});
