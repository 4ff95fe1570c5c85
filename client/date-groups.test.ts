import { describe, expect, it } from "vitest";
import { groupByRecency, groupLabel, validTimeZone } from "./date-groups";

describe("groupLabel", () => {
  const now = new Date("2025-03-15T12:00:00Z");

  it("uses calendar days, not 24-hour windows", () => {
    expect(groupLabel(new Date("2025-03-15T00:30:00Z"), now, "UTC")).toBe("Today");
    expect(groupLabel(new Date("2025-03-14T23:30:00Z"), now, "UTC")).toBe("Yesterday");
    expect(groupLabel(new Date("2025-03-08T12:00:00Z"), now, "UTC")).toBe("Previous 7 days");
    expect(groupLabel(new Date("2025-02-13T12:00:00Z"), now, "UTC")).toBe("Previous 30 days");
    expect(groupLabel(new Date("2025-02-12T12:00:00Z"), now, "UTC")).toBe("Older");
  });

  it("reads the day in the given time zone", () => {
    // 02:00 UTC on the 15th is still the 14th in New York.
    const early = new Date("2025-03-15T02:00:00Z");
    expect(groupLabel(early, now, "UTC")).toBe("Today");
    expect(groupLabel(early, now, "America/New_York")).toBe("Yesterday");
  });

  it("counts a time slightly in the future (clock skew) as today", () => {
    expect(groupLabel(new Date("2025-03-15T12:05:00Z"), now, "UTC")).toBe("Today");
  });
});

describe("groupByRecency", () => {
  it("groups in fixed order, keeping order within groups and skipping empty ones", () => {
    const now = new Date("2025-03-15T12:00:00Z");
    const items = [
      { id: "a", updatedAt: "2025-03-15T11:00:00Z" },
      { id: "b", updatedAt: "2025-03-15T10:00:00Z" },
      { id: "c", updatedAt: "2024-01-01T00:00:00Z" },
      { id: "d", updatedAt: "not a date" },
    ];
    const groups = groupByRecency(items, now, "UTC");
    expect(groups.map((group) => [group.label, group.items.map((item) => item.id)])).toEqual([
      ["Today", ["a", "b"]],
      ["Older", ["c", "d"]],
    ]);
  });
});

describe("validTimeZone", () => {
  it("accepts IANA names and rejects anything else", () => {
    expect(validTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(validTimeZone("Not/AZone")).toBe("UTC");
    expect(validTimeZone(undefined)).toBe("UTC");
  });
});
