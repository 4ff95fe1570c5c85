import type { GitHubProfile } from "next-auth/providers/github";
import { describe, expect, it } from "vitest";
import { userFromGithub } from "./github-profile";

const profile = (fields: Partial<GitHubProfile>) =>
  ({
    id: 42,
    login: "ada",
    name: null,
    email: null,
    avatar_url: "https://a/x.png",
    ...fields,
  }) as GitHubProfile;

describe("userFromGithub", () => {
  it("lower-cases the email as password sign-up does", () => {
    expect(userFromGithub(profile({ email: "Ada@Example.COM" })).email).toBe("ada@example.com");
  });

  it("keeps the id as a string and falls back to the login for a missing name", () => {
    expect(userFromGithub(profile({}))).toEqual({
      id: "42",
      name: "ada",
      email: null,
      image: "https://a/x.png",
    });
  });
});
