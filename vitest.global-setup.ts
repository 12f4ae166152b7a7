import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// One real PostgreSQL database for this run, migrated like production, dropped at the end.
// Test workers start after this and inherit the variables.
export default async function setup() {
  const database = await createTestDatabase("objection_unit");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  return async () => {
    await dropTestDatabase(database.name);
  };
}
