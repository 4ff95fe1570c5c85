import "server-only";
import { hkdfSync } from "node:crypto";
import { base64url, calculateJwkThumbprint, EncryptJWT, jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

// Auth.js's own session-token format (an encrypted JWT, `dir` + A256CBC-HS512, the key derived
// from the secret and the cookie's name by HKDF, its thumbprint as `kid`), with each derived key
// and thumbprint computed once per process instead of on every request. Auth.js derives them
// anew for every decode and for the re-encode that follows it on every `auth()`: two HKDFs and
// two SHA-256 thumbprints per request (docs/performance.md). Tokens stay interchangeable with
// Auth.js's, so sessions survive the change in either direction.

const ALGORITHM = "dir";
const ENCRYPTION = "A256CBC-HS512";
const KEY_BYTES: Record<string, number> = { "A256CBC-HS512": 64, A256GCM: 32 };
const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
/** Secrets × cookie names × encryptions a deployment can use is a handful; more is a bug. */
const MAX_CACHED_KEYS = 32;

interface DerivedKey {
  key: Uint8Array;
  kid: string;
}

const derivedKeys = new Map<string, Promise<DerivedKey>>();

/** The key Auth.js would derive for this secret, cookie name and encryption, and its `kid`. */
export function derivedKey(secret: string, salt: string, encryption: string): Promise<DerivedKey> {
  const length = KEY_BYTES[encryption];
  if (!length) return Promise.reject(new Error("Unsupported JWT content encryption"));
  const id = JSON.stringify([secret, salt, encryption]);
  let derived = derivedKeys.get(id);
  if (!derived) {
    derived = derive(secret, salt, length);
    if (derivedKeys.size >= MAX_CACHED_KEYS) derivedKeys.clear();
    derivedKeys.set(id, derived);
  }
  return derived;
}

async function derive(secret: string, salt: string, length: number): Promise<DerivedKey> {
  const info = `Auth.js Generated Encryption Key (${salt})`;
  const key = new Uint8Array(hkdfSync("sha256", secret, salt, info, length));
  const kid = await calculateJwkThumbprint(
    { kty: "oct", k: base64url.encode(key) },
    `sha${key.byteLength << 3}` as "sha512",
  );
  return { key, kid };
}

const secretsOf = (secret: string | string[]) => (Array.isArray(secret) ? secret : [secret]);

export async function encodeSessionToken(params: JWTEncodeParams): Promise<string> {
  const { token = {}, secret, maxAge = DEFAULT_MAX_AGE_SECONDS, salt } = params;
  const [first] = secretsOf(secret);
  if (first === undefined) throw new Error("No secret to encode the session with");
  const { key, kid } = await derivedKey(first, salt, ENCRYPTION);
  const now = Math.floor(Date.now() / 1000);
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: ALGORITHM, enc: ENCRYPTION, kid })
    .setIssuedAt(now)
    .setExpirationTime(now + maxAge)
    .setJti(crypto.randomUUID())
    .encrypt(key);
}

export async function decodeSessionToken(params: JWTDecodeParams): Promise<JWT | null> {
  const { token, secret, salt } = params;
  if (!token) return null;
  // Any of the secrets (the current one first, then those being rotated out) may have
  // encrypted it; the `kid` says which.
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid, enc }) => {
      for (const each of secretsOf(secret)) {
        const derived = await derivedKey(each, salt, enc);
        if (kid === undefined || kid === derived.kid) return derived.key;
      }
      throw new Error("no matching decryption secret");
    },
    {
      clockTolerance: 15,
      keyManagementAlgorithms: [ALGORITHM],
      contentEncryptionAlgorithms: [ENCRYPTION, "A256GCM"],
    },
  );
  return payload as JWT;
}
