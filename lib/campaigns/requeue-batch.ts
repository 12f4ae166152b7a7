import "server-only";

import { SEND_JOB_WAITING_SQL, type TSendJobWaitingRow } from "@/lib/campaigns/campaign-sql";
import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { jobs, QUEUES } from "@/lib/jobs";
import { inTransaction, pgPool } from "@/lib/pg";

/**
 * A fresh send job for a batch whose job ends before it is done (it waited on paced domains):
 * the same retry policy and dead letter, at the back of the queue, and not before `afterSeconds`.
 */
export const requeueBatch = async ({ campaignId, batch, afterSeconds = 0 }: { campaignId: string; batch: number; afterSeconds?: number }) => {
  const boss = await jobs();
  const startAfter = afterSeconds > 0 ? new Date(Date.now() + afterSeconds * 1000) : undefined;
  await inTransaction((client) => enqueueBatches({ boss, client, campaignId, batches: [batch], startAfter }));
};

/** Whether another send job (any campaign's) is ready and waiting for a worker slot. */
export const sendJobWaiting = async () => {
  const { rows } = await pgPool().query<TSendJobWaitingRow>(SEND_JOB_WAITING_SQL, [QUEUES.campaignBatch.name]);
  return rows[0]?.waiting ?? false;
};
