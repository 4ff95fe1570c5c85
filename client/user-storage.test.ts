import { describe, expect, it } from "vitest";
import { pendingKey } from "./pending-store";
import { draftKey, forgetUser } from "./user-storage";

/** The part of the Web Storage API the code uses, over a Map. */
function memoryStorage(entries: Record<string, string>): Storage {
  const map = new Map(Object.entries(entries));
  return {
    get length() {
      return map.size;
    },
    key: (index) => [...map.keys()][index] ?? null,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    clear: () => map.clear(),
  };
}

describe("forgetUser", () => {
  it("removes one user's drafts and pending messages and nothing else", () => {
    const storage = memoryStorage({
      [draftKey("alice", "new")]: "half a thought",
      [draftKey("alice", "c1")]: "another",
      [pendingKey("alice", "c1")]: "[]",
      [draftKey("bob", "new")]: "bob's draft",
      [pendingKey("bob", "c1")]: "[]",
      // A user id that merely starts with alice's must survive.
      [draftKey("alice2", "new")]: "not alice",
      theme: "dark",
    });
    forgetUser(storage, "alice");
    const left = Array.from({ length: storage.length }, (_, index) => storage.key(index));
    expect(left.sort()).toEqual(
      [draftKey("bob", "new"), pendingKey("bob", "c1"), draftKey("alice2", "new"), "theme"].sort(),
    );
  });
});
