import { expect, it } from "vitest";
import { cutText } from "./text-length";

it("counts UTF-16 code units and never ends on half a surrogate pair", () => {
  expect(cutText("hello", 10)).toBe("hello");
  expect(cutText("hello", 3)).toBe("hel");
  expect(cutText("😀😀", 4)).toBe("😀😀");
  expect(cutText("😀😀", 3)).toBe("😀");
  expect(cutText("a😀", 2)).toBe("a");
  expect(cutText("😀", 1)).toBe("");
  expect(cutText("abc", 0)).toBe("");
  expect(cutText("abc", -3)).toBe("");
});
