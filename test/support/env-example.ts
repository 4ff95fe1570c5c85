import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The variables of the repository's `.env.example`, as a dotenv loader would read them: one
 * `KEY=VALUE` per line, comments and blank lines skipped, values taken as written.
 */
export function envExample(): Record<string, string> {
  const file = path.resolve(import.meta.dirname, "../../.env.example");
  const variables: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const match = /^\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1]) variables[match[1]] = match[2] ?? "";
  }
  return variables;
}
