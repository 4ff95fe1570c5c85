import "server-only";
import { randomUUID } from "node:crypto";
import { claimImportLease, type Database, releaseImportLease, renewImportLease } from "@/db";
import { RateLimitedError } from "@/lib/errors";
import { logError } from "@/lib/log";
import { serverEnv } from "@/server/env";
import { enforceUserLimit } from "@/server/user-limits";

/** How long an import's lease lasts unrenewed: how soon a dead server's import stops counting. */
export const IMPORT_LEASE_MS = 60_000;
const RENEW_EVERY_MS = IMPORT_LEASE_MS / 4;
/** What a refused second import is told to wait before trying again. */
const BUSY_RETRY_MS = 5_000;

// Imports running in this process, whoever runs them: each may hold one conversation in memory
// (up to IMPORT_MAX_CONVERSATION_BYTES and about 4 times that in heap), so their number bounds
// what imports take of this server's memory, however many accounts import at once.
let running = 0;

/**
 * Runs `work` as the user's one import: 429 while another import of theirs runs on any
 * instance (a lease row in the database, db/import-leases.ts), or past
 * RATE_LIMIT_IMPORTS_PER_HOUR. The lease is renewed while `work` runs and released when it
 * ends, however it ends; if this server dies, the lease expires after IMPORT_LEASE_MS.
 * A refusal for a running import does not use up the hourly budget. Past IMPORT_MAX_CONCURRENT
 * imports running in this process, whoever runs them, the next one is refused (429) as well.
 */
export async function withImportSlot<T>(
  db: Database,
  userId: string,
  work: () => Promise<T>,
): Promise<T> {
  if (running >= serverEnv().IMPORT_MAX_CONCURRENT) {
    throw new RateLimitedError(
      "The server is busy with other imports; try again shortly",
      BUSY_RETRY_MS,
    );
  }
  running += 1;
  try {
    return await withUserLease(db, userId, work);
  } finally {
    running -= 1;
  }
}

async function withUserLease<T>(db: Database, userId: string, work: () => Promise<T>): Promise<T> {
  const holder = randomUUID();
  if (!(await claimImportLease(db, { userId, holder, ms: IMPORT_LEASE_MS }))) {
    throw new RateLimitedError(
      "Another import is still running; wait for it to finish",
      BUSY_RETRY_MS,
    );
  }
  const renewal = setInterval(() => {
    renewImportLease(db, { userId, holder, ms: IMPORT_LEASE_MS }).then(
      (held) => {
        if (held) return;
        // Renewals failed for a whole lease and another import took over: this one goes on
        // (each conversation is stored on its own, and a re-import stores nothing twice).
        console.warn("[import] lease lost to another import of the same user");
        clearInterval(renewal);
      },
      (error) => logError("[import] lease renewal failed", error),
    );
  }, RENEW_EVERY_MS);
  try {
    await enforceUserLimit(db, "import", userId);
    return await work();
  } finally {
    clearInterval(renewal);
    await releaseImportLease(db, { userId, holder }).catch((error) =>
      // Released by expiry instead.
      logError("[import] lease release failed", error),
    );
  }
}
