import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Lease } from "@/db";
import { serverEnv } from "@/server/env";

// Names this server process in the leases it takes on replies. Not state: it is only compared
// with what the database says, so any instance can take over from any other.
const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * A claim on one reply run. The owner names the process and the run, so a stale run of the
 * same process (stopped, then the reply continued) cannot write over its successor.
 */
export function newLease(): Lease {
  return { owner: `${instanceId}:${randomUUID().slice(0, 8)}`, ms: serverEnv().REPLY_LEASE_MS };
}
