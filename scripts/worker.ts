// The job worker: `npm run worker`. Run as many as you like, on any machines: pg-boss hands
// each job to one of them (SKIP LOCKED), and failed jobs come back with backoff.
import { startAuditChainer } from "@/lib/audit/start-audit-chainer";
import { systemActor } from "@/lib/auth/actor";
import { startSignInEmails } from "@/lib/auth/start-sign-in-emails";
import { startSsoRecheck } from "@/lib/auth/start-sso-recheck";
import { startBounceReportsPrune } from "@/lib/bounces/start-bounce-reports-prune";
import { startCountersCheck } from "@/lib/campaigns/start-counters-check";
import { computeAudience } from "@/lib/campaigns/compute-audience";
import { recordCampaignFailure, type TFailedCampaignJob } from "@/lib/campaigns/record-campaign-failure";
import { sendCampaignBatch } from "@/lib/campaigns/send-campaign-batch";
import { startDashboardSummary } from "@/lib/dashboard/start-dashboard-summary";
import { assertEnv, env } from "@/lib/env";
import { startExports } from "@/lib/exports/start-exports";
import { QUEUES, startWorkerJobs, stopJobs } from "@/lib/jobs";
import { closeMailTransport } from "@/lib/mail/transport";
import { type TObjectionLinkJob } from "@/lib/objections/request-objection-link";
import { sendObjectionLink } from "@/lib/objections/send-objection-link";
import { sendObjectionReceipts, type TReceiptJob } from "@/lib/objections/send-objection-receipt";
import { sendObjectionRejection, type TRejectionJob } from "@/lib/objections/send-objection-rejection";
import { sendWithdrawalConfirmation, type TWithdrawalJob } from "@/lib/objections/send-withdrawal-confirmation";
import { closePgPool, isDatabaseUnreachable } from "@/lib/pg";
import { startReceiptSigning } from "@/lib/receipts/start-receipt-signing";
import { logger } from "@/lib/logger";
import { startWebhookDeliveriesPrune } from "@/lib/webhooks/prune-webhook-deliveries";
import { startWebhookDeliveries } from "@/lib/webhooks/start-webhook-deliveries";

type TAudienceJob = { campaignId: string };
type TBatchJob = { campaignId: string; batch: number };

const main = async () => {
  assertEnv();
  // pg-boss 10 completes or fails a job after its handler without awaiting it: with the database
  // restarting, that rejection went unhandled and ended the worker. Its statements now wait out an
  // outage of up to a minute (lib/jobs.ts); past that, the job stays active and runs again once it
  // expires, and the worker keeps polling and carries on when the database is back.
  // Anything else unhandled still ends the process.
  process.on("unhandledRejection", (reason) => {
    if (!isDatabaseUnreachable(reason)) throw reason;
    logger().error({ event: "jobs_database_unreachable", error: reason }, "the database could not be reached; the job runs again once it expires");
  });
  // A database still starting (or not there yet, or failing over) is waited for, with backoff.
  const boss = await startWorkerJobs();
  // Before the receipt queue is worked: the JWKS lists the key before anyone holds a receipt it signed.
  await startReceiptSigning();
  const pollingIntervalSeconds = 1;

  // Receipts come in bursts after a campaign: a batch per fetch, sent side by side (bounded by the
  // batch size and the SMTP pool), and a full batch fetches the next at once instead of waiting
  // for the polling interval. A failed receipt is failed alone, so only it is retried.
  const receiptBatchSize = env().RECEIPT_BATCH_SIZE;
  for (let slot = 0; slot < env().RECEIPT_WORKERS; slot++) {
    // Assigned once work() returns; a batch that arrives before then simply waits for the interval.
    let workerId = "";
    workerId = await boss.work<TReceiptJob>(QUEUES.objectionReceipt.name, { pollingIntervalSeconds, batchSize: receiptBatchSize, includeMetadata: true }, async (batch) => {
      const outcomes = await sendObjectionReceipts({
        actor: systemActor(QUEUES.objectionReceipt.name),
        jobs: batch.map((job) => ({ objectionId: job.data.objectionId, locale: job.data.locale, attempt: job.retryCount + 1 })),
      });
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome.outcome === "failed") await boss.fail(QUEUES.objectionReceipt.name, batch[index]!.id, { message: outcome.reason });
      }
      if (batch.length === receiptBatchSize) boss.notifyWorker(workerId);
    });
  }
  // /object requests can come in a rush (a post about the notice going round): the same batching.
  // Each is its own email; one that fails is failed alone and retried.
  const linkBatchSize = 20;
  let linkWorkerId = "";
  linkWorkerId = await boss.work<TObjectionLinkJob>(QUEUES.objectionLinkRequest.name, { pollingIntervalSeconds, batchSize: linkBatchSize }, async (batch) => {
    const outcomes = await Promise.allSettled(batch.map((job) => sendObjectionLink({ ...job.data, actor: systemActor(QUEUES.objectionLinkRequest.name) })));
    for (const [index, outcome] of outcomes.entries()) {
      if (outcome.status === "rejected") await boss.fail(QUEUES.objectionLinkRequest.name, batch[index]!.id, { message: outcome.reason instanceof Error ? outcome.reason.message : "not sent" });
    }
    if (batch.length === linkBatchSize) boss.notifyWorker(linkWorkerId);
  });
  await boss.work<TRejectionJob>(QUEUES.objectionRejection.name, { pollingIntervalSeconds }, async ([job]) => {
    if (job) await sendObjectionRejection({ actor: systemActor(QUEUES.objectionRejection.name), objectionId: job.data.objectionId });
  });
  await boss.work<TWithdrawalJob>(QUEUES.objectionWithdrawal.name, { pollingIntervalSeconds }, async ([job]) => {
    if (job) await sendWithdrawalConfirmation({ actor: systemActor(QUEUES.objectionWithdrawal.name), objectionId: job.data.objectionId });
  });
  await boss.work<TAudienceJob>(QUEUES.campaignAudience.name, { pollingIntervalSeconds }, async ([job]) => {
    if (!job) return;
    const { total, batches } = await computeAudience({ actor: systemActor(QUEUES.campaignAudience.name), campaignId: job.data.campaignId });
    logger().info({ event: "campaign_audience", campaignId: job.data.campaignId, members: total, batches }, "campaign audience computed");
  });
  // Send jobs run side by side, sharing the SMTP pool.
  for (let slot = 0; slot < env().WORKER_BATCH_CONCURRENCY; slot++) {
    await boss.work<TBatchJob>(QUEUES.campaignBatch.name, { pollingIntervalSeconds }, async ([job]) => {
      if (job) await sendCampaignBatch({ ...job.data, actor: systemActor(QUEUES.campaignBatch.name) });
    });
  }
  // A send or audience job that used up its retries lands here (pg-boss's dead letter): its
  // campaign becomes failed, with the job's last error as the reason. The dead letter keeps the
  // job's retry limit, so its attempts are that plus one.
  await boss.work<TFailedCampaignJob>(QUEUES.campaignFailed.name, { pollingIntervalSeconds, includeMetadata: true }, async ([job]) => {
    if (!job) return;
    const { failed, reason } = await recordCampaignFailure({ ...job.data, actor: systemActor(QUEUES.campaignFailed.name), attempts: job.retryLimit + 1, output: job.output });
    logger().warn({ event: failed ? "campaign_failed" : "campaign_give_up_ignored", campaignId: job.data.campaignId }, reason);
  });
  await startExports(boss);
  await startDashboardSummary(boss);
  await startBounceReportsPrune(boss);
  await startCountersCheck(boss);
  await startSignInEmails(boss);
  await startSsoRecheck(boss);
  await startWebhookDeliveriesPrune(boss);
  // Webhook deliveries are rows, not jobs: claimed with SKIP LOCKED, in order per member (lib/webhooks).
  const stopWebhookDeliveries = startWebhookDeliveries();
  // The audit log's hash chain: new AuditEvent and ObjectionEvent rows chained within seconds (lib/audit).
  const stopAuditChainer = startAuditChainer();
  logger().info({ event: "worker_ready", queues: Object.values(QUEUES).map((queue) => queue.name) }, "worker ready");

  const shutdown = async (signal: string) => {
    logger().info({ event: "worker_stopping", signal }, "finishing jobs in flight");
    await Promise.all([stopJobs(), stopWebhookDeliveries(), stopAuditChainer()]);
    closeMailTransport();
    await closePgPool();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
};

main().catch((error: unknown) => {
  logger().fatal({ event: "worker_start_failed", error }, "the worker could not start");
  process.exit(1);
});
