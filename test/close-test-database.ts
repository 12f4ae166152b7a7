import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { dropTestDatabase } from "@/test/test-database";

/**
 * A test file's teardown when it made a database of its own: stops pg-boss, closes the app's pool
 * and Prisma, then the file's own pools and clients (`clients`), and drops the database.
 */
export const closeTestDatabase = async ({ database, clients = [] }: { database: { name: string } | undefined; clients?: ({ end: () => Promise<void> } | undefined)[] }) => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
  for (const client of clients) await client?.end();
  if (database) await dropTestDatabase(database.name);
};
