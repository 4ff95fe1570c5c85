import "server-only";
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Lease } from "@/db";
import { serverEnv } from "@/lib/env";

// Names this server process in the leases it takes on replies. Not state: it is only compared
// with what the database says, so any instance can take over from any other.
const instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

export function newLease(): Lease {
  return { owner: instanceId, ms: serverEnv().REPLY_LEASE_MS };
}
