import "server-only";

import { logger } from "@/lib/logger";
import { countEvents, type TCountedEvent } from "@/lib/metrics/count-events";

/** The longest an event waits in the process's tally before its count reaches "EventCounter". */
export const EVENT_TALLY_FLUSH_MS = 1000;

type TTally = {
  pending: Map<TCountedEvent, number>;
  timer?: NodeJS.Timeout;
  /** The write under way, so a flush on shutdown waits for it. */
  writing?: Promise<void>;
  /** Once shutdown began, each event is written at once: no timer outlives the process. */
  closing: boolean;
};

// On globalThis, so that Next's module reloads in development keep one tally per process.
const globalForTally = globalThis as unknown as { eventTally?: TTally };
const tally = (): TTally => (globalForTally.eventTally ??= { pending: new Map(), closing: false });

const write = async (state: TTally) => {
  const counts = Object.fromEntries(state.pending) as Partial<Record<TCountedEvent, number>>;
  state.pending.clear();
  try {
    await countEvents(counts);
  } catch (error) {
    // Kept for the next write: a database that is down for a moment loses no count.
    for (const [event, n] of Object.entries(counts) as [TCountedEvent, number][]) state.pending.set(event, (state.pending.get(event) ?? 0) + n);
    logger().error({ event: "event_tally_write_failed", error }, "event counts not written yet; kept for the next write");
    schedule(state);
  }
};

const schedule = (state: TTally) => {
  if (state.timer || state.closing) return;
  state.timer = setTimeout(() => {
    state.timer = undefined;
    void flushEventTally();
  }, EVENT_TALLY_FLUSH_MS);
  // The tally keeps no process alive: shutdown flushes it (flushEventTally).
  state.timer.unref();
};

/**
 * Counts one event (`link_request_refused_ceiling`) for /api/metrics without a write per event: the
 * process adds it up in memory and writes what it has at most once a second, in one upsert that
 * adds the delta (lib/metrics/count-events.ts). Under a flood of refusals, that is one write a
 * second per process instead of one per request, all on the same hot row.
 */
export const tallyEvent = (event: TCountedEvent) => {
  const state = tally();
  state.pending.set(event, (state.pending.get(event) ?? 0) + 1);
  if (state.closing) void flushEventTally();
  else schedule(state);
};

/** Writes what the tally holds now (after any write under way); on shutdown, with `{ closing: true }`, every later event is written at once. */
export const flushEventTally = async ({ closing = false }: { closing?: boolean } = {}) => {
  const state = tally();
  if (closing) state.closing = true;
  clearTimeout(state.timer);
  state.timer = undefined;
  // One write at a time, in order: a flush waits for the one under way, then writes what came since.
  const previous = state.writing ?? Promise.resolve();
  const next = previous.then(() => (state.pending.size > 0 ? write(state) : undefined));
  state.writing = next;
  await next;
  if (state.writing === next) state.writing = undefined;
};
