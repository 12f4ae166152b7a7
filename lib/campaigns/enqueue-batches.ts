import "server-only";

import type pg from "pg";

import { env } from "@/lib/env";
import { jobs, pgJobExecutor, QUEUES } from "@/lib/jobs";

/** One send job per batch of notifications, in the caller's transaction. */
export const enqueueBatches = async ({ client, campaignId, batches }: { client: pg.PoolClient; campaignId: string; batches: number[] }) => {
  if (batches.length === 0) return;
  const boss = await jobs();
  await boss.insert(
    batches.map((batch) => ({ name: QUEUES.campaignBatch.name, data: { campaignId, batch }, expireInSeconds: env().CAMPAIGN_BATCH_EXPIRE_SECONDS })),
    { db: pgJobExecutor(client) },
  );
};
