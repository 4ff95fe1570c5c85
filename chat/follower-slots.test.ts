import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { RateLimitedError } from "@/lib/errors";
import { claimFollowerSlot, openFollowers } from "./follower-slots";

it("gives each user up to `max` follower slots and frees them on release", () => {
  const alice = randomUUID();
  const bob = randomUUID();
  const releases = [claimFollowerSlot(alice, 2), claimFollowerSlot(alice, 2)];
  expect(() => claimFollowerSlot(alice, 2)).toThrow(RateLimitedError);
  // Another user's budget is their own.
  const bobs = claimFollowerSlot(bob, 2);
  releases[0]?.();
  releases[0]?.(); // a second release of the same slot frees nothing more
  expect(openFollowers(alice)).toBe(1);
  const again = claimFollowerSlot(alice, 2);
  expect(() => claimFollowerSlot(alice, 2)).toThrow(RateLimitedError);
  for (const release of [releases[1], again, bobs]) release?.();
  expect(openFollowers(alice)).toBe(0);
  expect(openFollowers(bob)).toBe(0);
});
