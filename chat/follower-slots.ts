import "server-only";
import { RateLimitedError } from "@/lib/errors";

// Open follower streams per user on this instance. A follower holds a response open and polls
// the database, so an unbounded number of them is a cheap way for one account to load a
// server. The count is a property of this process's open connections (like a socket count),
// not conversation state: losing it in a restart loses nothing, since the streams go too.
const open = new Map<string, number>();

/**
 * Claims one of the user's `max` follower slots on this instance, or throws a 429 error.
 * Returns the release function, which is safe to call more than once.
 */
export function claimFollowerSlot(userId: string, max: number): () => void {
  const count = open.get(userId) ?? 0;
  if (count >= max) {
    throw new RateLimitedError("Too many live replies open; close some tabs", 5_000);
  }
  open.set(userId, count + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (open.get(userId) ?? 1) - 1;
    if (left > 0) open.set(userId, left);
    else open.delete(userId);
  };
}

/** How many follower slots the user holds on this instance (for tests and diagnostics). */
export function openFollowers(userId: string): number {
  return open.get(userId) ?? 0;
}
