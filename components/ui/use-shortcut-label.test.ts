import { describe, expect, it } from "vitest";
import { isApplePlatform } from "./use-shortcut-label";

describe("isApplePlatform", () => {
  it("knows Macs, iPhones and iPads", () => {
    for (const platform of ["MacIntel", "MacPPC", "iPhone", "iPad", "iPod touch"]) {
      expect(isApplePlatform(platform), platform).toBe(true);
    }
  });

  it("leaves everyone else with Ctrl", () => {
    for (const platform of ["Win32", "Linux x86_64", "Linux armv8l", "", "X11"]) {
      expect(isApplePlatform(platform), platform).toBe(false);
    }
  });
});
