import { db } from "@/lib/db";
import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { closeWebhookAgents } from "@/lib/webhooks/send-webhook";

/** A webhook Vitest file's teardown: the delivery connections, its receivers, pg-boss, the pool, Prisma. */
export const closeWebhookTestFile = async (receivers: { close: () => Promise<void> }[]) => {
  closeWebhookAgents();
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
};
