import { expect, it } from "vitest";
import { titleFromMessage } from "./title";

it("uses a short first message as it is, whitespace collapsed", () => {
  expect(titleFromMessage("  Plan a\n\ntrip to   Lisbon ")).toBe("Plan a trip to Lisbon");
});

it("cuts a long message at a word boundary and marks the cut", () => {
  const title = titleFromMessage(
    "Explain the difference between optimistic and pessimistic locking in Postgres please",
  );
  expect(title).toBe("Explain the difference between optimistic and pessimistic…");
  expect(title.length).toBeLessThanOrEqual(61);
});

it("cuts a single enormous word", () => {
  expect(titleFromMessage("x".repeat(500))).toBe(`${"x".repeat(60)}…`);
});

it("never cuts an emoji in half, which would store a broken character", () => {
  const title = titleFromMessage(`a${"😀".repeat(80)}`);
  expect(title).toMatch(/^a(😀)+…$/u);
  // Counted as stored, in UTF-16 units (an emoji is 2), like every other limit.
  expect(title.length).toBeLessThanOrEqual(61);
  expect(/\p{Surrogate}/u.test(title)).toBe(false);
});
