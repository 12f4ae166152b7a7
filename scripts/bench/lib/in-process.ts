import type pg from "pg";

import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";

// For benches that run the app's code in their own process (admin.ts, campaign.ts, bounces.ts).

/** Says the bench failed, with the stack, and has the process exit non-zero once it has cleaned up. */
export const reportBenchFailure = (error: unknown) => {
  console.error(`The benchmark failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
};

/** Stops pg-boss, closes the app's pool, then the bench's own. */
export const closeBenchConnections = async (pool: pg.Pool) => {
  await stopJobs();
  await closePgPool();
  await pool.end();
};
