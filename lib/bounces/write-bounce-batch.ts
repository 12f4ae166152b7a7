import "server-only";

import type { TActor } from "@/lib/auth/actor";
import { recordBounces, type TBounceEvent } from "@/lib/bounces/record-bounces";
import { countEvents, type TCountedEvent } from "@/lib/metrics/count-events";

/** A report to record, or one the listener dropped (lib/bounces/screen-bounce-report.ts), to count. */
export type TBounceBatchItem = TBounceEvent | { dropped: TCountedEvent };

/**
 * One batch of the listener's group commit (lib/bounces/bounce-batcher.ts): its reports recorded in
 * one statement, its drops added to /api/metrics' counters in one more (only when there are any),
 * so a flood of forged reports costs a round trip per batch, not per report. Reports first: they are
 * idempotent, so if counting fails and every sender in the batch tries again, nothing is recorded twice.
 */
export const writeBounceBatch = async ({ actor, items }: { actor: TActor; items: TBounceBatchItem[] }) => {
  const events: TBounceEvent[] = [];
  const dropped: Partial<Record<TCountedEvent, number>> = {};
  for (const item of items) {
    if ("dropped" in item) dropped[item.dropped] = (dropped[item.dropped] ?? 0) + 1;
    else events.push(item);
  }
  const recorded = await recordBounces({ actor, events });
  await countEvents(dropped);
  return { ...recorded, dropped };
};
