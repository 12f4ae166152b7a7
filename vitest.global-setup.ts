import { dropTestDatabasesLike, setupTemplateDatabase, uniqueDatabaseName } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// One migration per run, into a template database. Every test file then gets a database of its
// own, copied from the template (test/file-database.ts), so files run in parallel without seeing
// each other's rows. All of them are dropped at the end. Test workers start after this and
// inherit the variables.
export default async function setup() {
  // Short: a file's database name adds its own time and random tail, within PostgreSQL's 63 bytes.
  const filePrefix = uniqueDatabaseName("objection_f");
  const dropTemplate = await setupTemplateDatabase({ prefix: "objection_unit", env: { ...TEST_ENV, TEST_FILE_DATABASE_PREFIX: filePrefix } });
  return async () => {
    await dropTestDatabasesLike(filePrefix);
    await dropTemplate();
  };
}
