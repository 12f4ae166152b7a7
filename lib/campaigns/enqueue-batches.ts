import "server-only";

import type pg from "pg";
import type PgBoss from "pg-boss";

import { env } from "@/lib/env";
import { QUEUES } from "@/lib/jobs";

/**
 * One send job per batch of notifications, in the caller's transaction. Start pg-boss (`jobs()`)
 * before that transaction: a REPEATABLE READ snapshot taken earlier would not see its queues.
 */
export const enqueueBatches = async ({ boss, client, campaignId, batches, startAfter }: { boss: PgBoss; client: pg.PoolClient; campaignId: string; batches: number[]; startAfter?: Date }) => {
  if (batches.length === 0) return;
  let inserted = 0;
  const counting: PgBoss.Db = {
    executeSql: async (text, values) => {
      const result = await client.query(text, values);
      inserted += result.rowCount ?? 0;
      return { rows: result.rows };
    },
  };
  await boss.insert(
    batches.map((batch) => ({
      name: QUEUES.campaignBatch.name,
      data: { campaignId, batch },
      expireInSeconds: env().CAMPAIGN_BATCH_EXPIRE_SECONDS,
      retryLimit: env().CAMPAIGN_BATCH_RETRY_LIMIT,
      // Once the retries run out (the last one thrown or expired), pg-boss moves the job to the
      // dead letter in the same statement, and the worker marks the campaign failed from there.
      deadLetter: QUEUES.campaignFailed.name,
      startAfter,
    })),
    { db: counting },
  );
  // pg-boss skips, silently, jobs for a queue it cannot see: never leave a campaign without its jobs.
  if (inserted !== batches.length) throw new Error(`Enqueued ${inserted} of ${batches.length} send jobs for campaign ${campaignId}`);
};
