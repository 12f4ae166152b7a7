import { createTestDatabase } from "@/test/test-database";

// Vitest runs this before each test file, in the file's own module scope: the file's code (and
// every worker or app it starts) reads DATABASE_URL after this, and gets a database of its own,
// copied from the run's template. The global setup drops them all once the run is over.
const database = await createTestDatabase(process.env.TEST_FILE_DATABASE_PREFIX ?? "objection_f");
process.env.DATABASE_URL = database.url;
