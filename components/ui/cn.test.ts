import { describe, expect, it } from "vitest";
import { buttonClasses } from "./button";
import { cn } from "./cn";

describe("cn", () => {
  it("lets a later class override an earlier conflicting one", () => {
    expect(cn("h-9 px-4", "h-7 px-2")).toBe("h-7 px-2");
    expect(cn("rounded-lg text-sm", "rounded-full")).toBe("text-sm rounded-full");
  });

  it("keeps classes that do not conflict, and skips falsy ones", () => {
    expect(cn("flex", false, null, undefined, "gap-2", { hidden: false, "p-1": true })).toBe(
      "flex gap-2 p-1",
    );
  });

  it("keeps variants apart: a dark: override leaves the light class alone", () => {
    expect(cn("bg-white dark:bg-zinc-900", "dark:bg-black")).toBe("bg-white dark:bg-black");
  });
});

describe("buttonClasses", () => {
  it("gives a className passed to a button the last word over its size", () => {
    const classes = buttonClasses("primary", "icon", "rounded-full").split(" ");
    expect(classes).toContain("rounded-full");
    expect(classes).not.toContain("rounded-lg");
    const small = buttonClasses("ghost", "sm", "h-7 px-2 text-xs").split(" ");
    expect(small).toEqual(expect.arrayContaining(["h-7", "px-2", "text-xs"]));
    expect(small).not.toContain("h-8");
    expect(small).not.toContain("px-2.5");
    expect(small).not.toContain("text-sm");
  });
});
