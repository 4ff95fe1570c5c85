import "server-only";
import { hash, verify } from "@node-rs/argon2";

// Argon2id (the library's default algorithm) with OWASP's suggested minimum cost: 19 MiB of
// memory, 2 passes. Memory-hard, so guessing in parallel on GPUs stays expensive.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies `password` against `passwordHash`, or, when there is none (no such account, or one
 * that signs in only with GitHub), against a throwaway hash of the same cost and answers false:
 * either way the caller waits one Argon2 verification, so the time taken does not tell which
 * emails have an account.
 */
export async function verifyPasswordOrDummy(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (passwordHash) return verifyPassword(passwordHash, password);
  dummyHash ??= hashPassword(crypto.randomUUID());
  await verifyPassword(await dummyHash, password);
  return false;
}
