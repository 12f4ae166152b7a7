import { SEND_CHUNK_SIZE } from "@/lib/campaigns/send-campaign-batch";
import { env } from "@/lib/env";
import { QUEUES } from "@/lib/jobs";

// What a worker killed with SIGKILL mid-campaign may cost, as docs/guarantees.md ("Nothing lost
// when SMTP or the worker fails") states it, from the settings the workers ran with (the receipt
// settings: this process's, which the workers share: RECEIPT_BATCH_SIZE and RECEIPT_WORKERS).

type TWorkerSettings = {
  /** WORKER_BATCH_CONCURRENCY */
  concurrency: number;
  /** CAMPAIGN_BATCH_EXPIRE_SECONDS */
  expireSeconds: number;
  /** JOBS_MAINTENANCE_SECONDS */
  maintenanceSeconds: number;
  /** MAIL_RATE_PER_SEC */
  perSecond: number;
  /** The campaign's members. */
  count: number;
};

export const killedWorkerBounds = ({ concurrency, expireSeconds, maintenanceSeconds, perSecond, count }: TWorkerSettings) => ({
  // Each send job the killed worker ran had at most one chunk claimed and not yet recorded.
  campaignTwice: SEND_CHUNK_SIZE * concurrency,
  // Its jobs expire at most CAMPAIGN_BATCH_EXPIRE_SECONDS after the kill, found by the next maintenance; the
  // first retry waits retryDelay to twice that (pg-boss's backoff), then one polling interval (1 s); at most
  // the whole campaign is then left to send at the survivor's rate.
  doneSeconds: expireSeconds + maintenanceSeconds + 2 * QUEUES.campaignBatch.retryDelay + 1 + count / perSecond,
  // Each receipt batch it ran was sent side by side, and recorded in one statement after.
  receiptsTwice: env().RECEIPT_BATCH_SIZE * env().RECEIPT_WORKERS,
  receiptBatch: env().RECEIPT_BATCH_SIZE,
  receiptSlots: env().RECEIPT_WORKERS,
});
