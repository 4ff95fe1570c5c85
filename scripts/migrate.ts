// `npm run db:migrate`: applies the checked-in migrations to DATABASE_URL (or the embedded
// database when it is unset).
import { openDatabaseFromEnv } from "@/server/database";

const handle = await openDatabaseFromEnv();
try {
  await handle.migrate();
  console.log(`[chatkeep] migrations applied (${handle.driver})`);
} finally {
  await handle.close();
}
