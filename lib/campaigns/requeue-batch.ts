import "server-only";

import { enqueueBatches } from "@/lib/campaigns/enqueue-batches";
import { jobs } from "@/lib/jobs";
import { inTransaction } from "@/lib/pg";

/**
 * A fresh send job for a batch whose job ends before it is done (it waited on paced domains for
 * its share of the expiry): the same retry policy and dead letter, at the back of the queue.
 */
export const requeueBatch = async ({ campaignId, batch }: { campaignId: string; batch: number }) => {
  const boss = await jobs();
  await inTransaction((client) => enqueueBatches({ boss, client, campaignId, batches: [batch] }));
};
