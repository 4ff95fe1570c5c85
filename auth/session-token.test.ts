import { decode as authJsDecode, encode as authJsEncode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, derivedKey, encodeSessionToken } from "./session-token";

const SECRET = "a-test-secret-of-enough-length-0123456789abcdef";
const SALT = "authjs.session-token";
const token = { sub: "7f1c2a52-0d1e-4c8e-9b7a-3f1e2d4c5b6a", email: "a@example.com" };

describe("session tokens", () => {
  it("reads the tokens Auth.js writes, and Auth.js reads the ones it writes", async () => {
    const fromAuthJs = await authJsEncode({ token, secret: SECRET, salt: SALT });
    expect(
      await decodeSessionToken({ token: fromAuthJs, secret: SECRET, salt: SALT }),
    ).toMatchObject(token);
    const ours = await encodeSessionToken({ token, secret: SECRET, salt: SALT });
    expect(await authJsDecode({ token: ours, secret: SECRET, salt: SALT })).toMatchObject(token);
  });

  it("expires a token after its max age, and refuses another secret or cookie name", async () => {
    const expired = await encodeSessionToken({ token, secret: SECRET, salt: SALT, maxAge: -60 });
    await expect(
      decodeSessionToken({ token: expired, secret: SECRET, salt: SALT }),
    ).rejects.toThrow(/exp/);
    const valid = await encodeSessionToken({ token, secret: SECRET, salt: SALT });
    await expect(
      decodeSessionToken({ token: valid, secret: `${SECRET}-other`, salt: SALT }),
    ).rejects.toThrow();
    await expect(
      decodeSessionToken({ token: valid, secret: SECRET, salt: `__Secure-${SALT}` }),
    ).rejects.toThrow();
  });

  it("finds the key among rotated secrets by the token's kid", async () => {
    const old = await encodeSessionToken({
      token,
      secret: "the-old-secret-0123456789abcdefghij",
      salt: SALT,
    });
    const rotated = [SECRET, "the-old-secret-0123456789abcdefghij"];
    expect(await decodeSessionToken({ token: old, secret: rotated, salt: SALT })).toMatchObject(
      token,
    );
    // A new token is written with the first (current) secret.
    const fresh = await encodeSessionToken({ token, secret: rotated, salt: SALT });
    expect(await decodeSessionToken({ token: fresh, secret: SECRET, salt: SALT })).toMatchObject(
      token,
    );
  });

  it("derives each key once per secret and cookie name", async () => {
    const first = derivedKey(SECRET, SALT, "A256CBC-HS512");
    expect(derivedKey(SECRET, SALT, "A256CBC-HS512")).toBe(first);
    expect(derivedKey(SECRET, `__Secure-${SALT}`, "A256CBC-HS512")).not.toBe(first);
    expect((await first).key.byteLength).toBe(64);
    expect((await derivedKey(SECRET, SALT, "A256GCM")).key.byteLength).toBe(32);
    await expect(derivedKey(SECRET, SALT, "A128CBC-HS256")).rejects.toThrow(/Unsupported/);
  });
});
