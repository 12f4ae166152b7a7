import { setupTemplateDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// One migration for the fault tier: each file's database is a copy of this template.
export default function setup() {
  return setupTemplateDatabase({ prefix: "objection_faults", env: TEST_ENV });
}
