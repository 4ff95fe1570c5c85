import type { GitHubProfile } from "next-auth/providers/github";
import { normalizeEmail } from "@/lib/validation";

/**
 * The user a GitHub sign-in creates or finds: its email in the same lower-case form as a
 * password account's, so the same address is the same person.
 */
export function userFromGithub(profile: GitHubProfile) {
  return {
    id: String(profile.id),
    name: profile.name ?? profile.login,
    email: profile.email ? normalizeEmail(profile.email) : null,
    image: profile.avatar_url,
  };
}
