import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { serverEnv } from "@/server/env";

/**
 * The key that signs session cookies. From AUTH_SECRET when set (required with a server
 * database in production, where every instance must share it); otherwise generated once and
 * kept in the data folder, so the embedded setup needs no configuration and sessions survive
 * restarts.
 */
let cached: string | undefined;

export function authSecret(): string {
  cached ??= loadOrCreateSecret();
  return cached;
}

function loadOrCreateSecret(): string {
  const env = serverEnv();
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (process.env.NODE_ENV === "production" && env.DATABASE_URL) {
    throw new Error(
      "AUTH_SECRET is required when DATABASE_URL is set: every instance must sign sessions with the same key. Generate one with `openssl rand -base64 33`.",
    );
  }
  const file = path.join(env.DATA_DIR, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(env.DATA_DIR, { recursive: true });
  const secret = randomBytes(33).toString("base64");
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    // Another process wrote it first: theirs is the one to use.
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      return readFileSync(file, "utf8").trim();
    throw error;
  }
  chmodSync(file, 0o600);
  console.log(
    `[chatkeep] generated a session signing key in ${file} (set AUTH_SECRET to choose one)`,
  );
  return secret;
}
