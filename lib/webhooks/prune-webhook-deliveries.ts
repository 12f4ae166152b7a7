import "server-only";

import type PgBoss from "pg-boss";

import { assertActorKind, systemActor, type TActor } from "@/lib/auth/actor";
import { QUEUES } from "@/lib/jobs";
import { logger } from "@/lib/logger";
import { pgPool } from "@/lib/pg";
import { PRUNE_DELIVERIES_SQL, PRUNE_EVENTS_SQL, type TPrunedRow } from "@/lib/webhooks/webhook-delivery-sql";

/** Days an acknowledged delivery is kept, for the console's list of recent deliveries; the nightly export is the record. */
export const WEBHOOK_DELIVERY_RETENTION_DAYS = 14;

/** Once a day, at a quiet hour (UTC), after the bounce reports' prune. */
const WEBHOOK_PRUNE_CRON = "45 3 * * *";

/**
 * Deletes the deliveries acknowledged over WEBHOOK_DELIVERY_RETENTION_DAYS ago, `batchSize` at a
 * time, and their events once no delivery is left for them; returns how many deliveries. Each
 * batch reads only the partial index of delivered ones: the outbox keeps the size of its retention.
 */
export const pruneWebhookDeliveries = async ({ actor, batchSize = 10_000 }: { actor: TActor; batchSize?: number }) => {
  assertActorKind(actor, "system");
  // One cut-off for the whole run, so it ends even while deliveries keep being acknowledged.
  const before = new Date(Date.now() - WEBHOOK_DELIVERY_RETENTION_DAYS * 86_400_000);
  let deleted = 0;
  for (;;) {
    const [pruned] = (await pgPool().query<TPrunedRow>(PRUNE_DELIVERIES_SQL, [before, batchSize])).rows;
    if (pruned && pruned.eventIds.length > 0) await pgPool().query(PRUNE_EVENTS_SQL, [pruned.eventIds]);
    deleted += pruned?.deleted ?? 0;
    if ((pruned?.deleted ?? 0) < batchSize) return deleted;
  }
};

/** The worker's part: the daily prune, one run at a time. */
export const startWebhookDeliveriesPrune = async (boss: PgBoss) => {
  await boss.schedule(QUEUES.webhookDeliveriesPrune.name, WEBHOOK_PRUNE_CRON, {}, { tz: "UTC" });
  await boss.work(QUEUES.webhookDeliveriesPrune.name, { pollingIntervalSeconds: 1 }, async () => {
    const deleted = await pruneWebhookDeliveries({ actor: systemActor(QUEUES.webhookDeliveriesPrune.name) });
    if (deleted > 0) logger().info({ event: "webhook_deliveries_pruned", deliveries: deleted }, "webhook deliveries past their retention deleted");
  });
};
