import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrationsFolder } from "@/db/client";

/**
 * A copy of the checked-in migrations cut after the first `count`: an earlier release, for
 * upgrade tests and the migration bench.
 */
export function releaseWithMigrations(count: number): string {
  const folder = mkdtempSync(path.join(tmpdir(), "chatkeep-release-"));
  mkdirSync(path.join(folder, "meta"));
  const journal = JSON.parse(
    readFileSync(path.join(migrationsFolder, "meta/_journal.json"), "utf8"),
  );
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(path.join(folder, "meta/_journal.json"), JSON.stringify(journal));
  for (const entry of journal.entries) {
    cpSync(path.join(migrationsFolder, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  }
  return folder;
}
