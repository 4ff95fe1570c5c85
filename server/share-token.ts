import "server-only";
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from "node:crypto";
import { v5 as uuidv5 } from "uuid";
import { authSecret } from "@/server/signing-secret";

// A share link's token is a bearer credential: 32 random bytes (256 bits), base64url, 43
// characters. The database holds its SHA-256 for lookup (a fast hash is enough for a random
// 256-bit secret: there is nothing to brute-force), and a copy sealed with a key derived from
// AUTH_SECRET so the owner can see the link again; a copy of the database alone opens nothing.

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const SEAL_INFO = "chatkeep share link token";
// The namespace of "Continue in my account" copies' conversation ids (UUID v5).
const COPY_NAMESPACE = "6f1d3c2a-5b0e-4d8f-9a7c-2e4b1f6a8d30";

export function newShareToken(): string {
  return randomBytes(32).toString("base64url");
}

/** The shape of a token: anything else is answered as an unknown link, without a lookup. */
export function isShareToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

export function hashShareToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function sharePath(token: string): string {
  return `/s/${token}`;
}

function sealKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "", SEAL_INFO, 32));
}

/** The token encrypted (AES-256-GCM) for storage: iv, tag and ciphertext, base64url. */
export function sealShareToken(token: string, secret = authSecret()): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", sealKey(secret), iv);
  const sealed = Buffer.concat([cipher.update(token, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/**
 * The token back, or null when it was sealed under another AUTH_SECRET (rotated): the link
 * still works, since lookups go by hash, but its owner can no longer be shown it.
 */
export function unsealShareToken(sealed: string, secret = authSecret()): string | null {
  try {
    const bytes = Buffer.from(sealed, "base64url");
    const decipher = createDecipheriv("aes-256-gcm", sealKey(secret), bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    const token = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString(
      "utf8",
    );
    return isShareToken(token) ? token : null;
  } catch {
    return null;
  }
}

/**
 * The id of a visitor's copy of a shared conversation: the same visitor continuing the same
 * link gets the same id, so a double click or a retry finds the copy instead of making another.
 */
export function copyIdFor(visitorId: string, tokenHash: string): string {
  return uuidv5(`${visitorId}:${tokenHash}`, COPY_NAMESPACE);
}
