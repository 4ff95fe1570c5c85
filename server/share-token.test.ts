import { describe, expect, it } from "vitest";
import {
  copyIdFor,
  hashShareToken,
  isShareToken,
  newShareToken,
  sealShareToken,
  unsealShareToken,
} from "./share-token";

const secret = "a-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";

describe("share tokens", () => {
  it("are 256 random bits in base64url, never the same twice", () => {
    const tokens = new Set(Array.from({ length: 100 }, newShareToken));
    expect(tokens.size).toBe(100);
    for (const token of tokens) {
      expect(isShareToken(token)).toBe(true);
      expect(Buffer.from(token, "base64url")).toHaveLength(32);
    }
  });

  it("refuses what is not a token's shape", () => {
    const token = newShareToken();
    for (const bad of [
      "",
      token.slice(1),
      `${token}A`,
      `${token.slice(1)}+`,
      `${token.slice(1)}.`,
    ]) {
      expect(isShareToken(bad)).toBe(false);
    }
  });

  it("hashes to a SHA-256 that does not contain the token", () => {
    const token = newShareToken();
    const hash = hashShareToken(token);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashShareToken(token)).toBe(hash);
    expect(hash).not.toContain(token);
  });

  it("seals so only the same secret opens it", () => {
    const token = newShareToken();
    const sealed = sealShareToken(token, secret);
    expect(sealed).not.toContain(token);
    expect(sealShareToken(token, secret)).not.toBe(sealed);
    expect(unsealShareToken(sealed, secret)).toBe(token);
    expect(unsealShareToken(sealed, `${secret}-rotated`)).toBeNull();
    expect(unsealShareToken(`${sealed.slice(0, -2)}AA`, secret)).toBeNull();
    expect(unsealShareToken("garbage", secret)).toBeNull();
  });

  it("derives one copy id per visitor and link", () => {
    const [a, b] = ["3b1f2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"];
    const link = hashShareToken(newShareToken());
    expect(copyIdFor(a, link)).toBe(copyIdFor(a, link));
    expect(copyIdFor(a, link)).not.toBe(copyIdFor(b, link));
    expect(copyIdFor(a, link)).not.toBe(copyIdFor(a, hashShareToken(newShareToken())));
  });
});
