import "server-only";

import type PgBoss from "pg-boss";

import { systemActor } from "@/lib/auth/actor";
import type { TSignInEmailJob } from "@/lib/auth/queue-sign-in-email";
import { sendQueuedSignInEmail } from "@/lib/auth/send-queued-sign-in-email";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";

const BATCH_SIZE = 20;

/**
 * Registers the worker's admin-sign-in handler. Requests for strangers' addresses are queued too,
 * so a burst of them comes in batches (a full batch fetches the next at once): an admin's email
 * does not wait behind them a second each. A handled job is deleted at once: it holds a live
 * sign-in link, which pg-boss would otherwise keep (completed, then archived) for days. A job that
 * fails every retry (about 5 minutes of them) stays as pg-boss keeps failed jobs; its link expires
 * 15 minutes after it was made.
 */
export const startSignInEmails = async (boss: PgBoss) => {
  const actor = systemActor(QUEUES.adminSignIn.name);
  let workerId = "";
  workerId = await boss.work<TSignInEmailJob>(QUEUES.adminSignIn.name, { pollingIntervalSeconds: 1, batchSize: BATCH_SIZE }, async (batch) => {
    const outcomes = await Promise.allSettled(batch.map((job) => sendQueuedSignInEmail({ ...job.data, actor })));
    const handled = batch.filter((_job, index) => outcomes[index]!.status === "fulfilled").map((job) => job.id);
    if (handled.length) await boss.deleteJob(QUEUES.adminSignIn.name, handled);
    for (const [index, outcome] of outcomes.entries()) {
      // Never the job's data: it holds the link.
      if (outcome.status === "fulfilled") logger().info({ event: "admin_sign_in_email", outcome: outcome.value }, "admin sign-in email handled");
      else await boss.fail(QUEUES.adminSignIn.name, batch[index]!.id, { message: outcome.reason instanceof Error ? outcome.reason.message : "not sent" });
    }
    if (batch.length === BATCH_SIZE) boss.notifyWorker(workerId);
  });
};
