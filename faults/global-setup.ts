import { createTemplateDatabase, dropTestDatabase, TEMPLATE_DATABASE_VARIABLE } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// One migration for the fault tier: each file's database is a copy of this template.
export default async function setup() {
  const template = await createTemplateDatabase("objection_faults");
  Object.assign(process.env, TEST_ENV, { [TEMPLATE_DATABASE_VARIABLE]: template });
  return async () => {
    await dropTestDatabase(template);
  };
}
