import "server-only";

import PgBoss from "pg-boss";

import { env } from "@/lib/env";

/** Every queue, with its retry policy. Mail goes through jobs so that an SMTP fault never blocks a request. */
export const QUEUES = {
  objectionReceipt: { name: "objection-receipt", retryLimit: 12, retryDelay: 15, retryBackoff: true },
  personalLinkEmail: { name: "personal-link-email", retryLimit: 12, retryDelay: 15, retryBackoff: true },
} as const satisfies Record<string, PgBoss.Queue>;

export type TQueueName = (typeof QUEUES)[keyof typeof QUEUES]["name"];

/** Runs pg-boss's SQL on the caller's connection, so a job is enqueued in the caller's transaction. */
export type TJobExecutor = PgBoss.Db;

const globalForBoss = globalThis as unknown as { boss?: Promise<PgBoss> };

const startBoss = async ({ worker }: { worker: boolean }) => {
  const boss = new PgBoss({
    connectionString: env().DATABASE_URL,
    application_name: worker ? "objection-worker" : "objection-web",
    max: Math.max(2, Math.ceil(env().DATABASE_POOL_SIZE / 2)),
    // Only workers maintain the queue and run cron; web instances just enqueue.
    supervise: worker,
    schedule: worker,
  });
  boss.on("error", (error) => console.error(`[jobs] ${error.message}`));
  await boss.start();
  for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name, queue);
  return boss;
};

/** The process's pg-boss instance, started once (and its queues created) on first use. */
export const jobs = ({ worker = false }: { worker?: boolean } = {}) => {
  globalForBoss.boss ??= startBoss({ worker }).catch((error: unknown) => {
    globalForBoss.boss = undefined;
    throw error;
  });
  return globalForBoss.boss;
};

export const stopJobs = async () => {
  const boss = await globalForBoss.boss;
  globalForBoss.boss = undefined;
  await boss?.stop({ graceful: true, wait: true });
};
