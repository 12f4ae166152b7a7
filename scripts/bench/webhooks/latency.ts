import type pg from "pg";

import { startWebhookDeliveries } from "@/lib/webhooks/start-webhook-deliveries";

import { fmt } from "../lib/report";
import { figure, RATE, RECEIVER_MS, SECONDS, summary, TARGETS } from "./config";
import { addEndpoint, atFixedRate, msFigures, removeEndpoints, submitFor, waitUntil } from "./fixtures";
import { startReceiver } from "./receiver";

// Latency: the form's call (submitObjection, the hot path with its outbox) at a fixed --rate for
// --seconds, a new member each, while the worker's own delivery loop (startWebhookDeliveries, a
// lane per endpoint) runs in this process, to a receiver answering after --receiver-ms. An
// objection's latency runs from the moment submitObjection resolved (the form answers success
// right after) to the moment the receiver wrote its 2xx for that objection_id: one clock, one
// process. The web process, the worker and the receiver share this process, so it is a ceiling.

/** After the last submission, how long the deliveries left may take before they count as not delivered. */
const DRAIN_SECONDS = 60;
/** Calls before the measured ones, with no endpoint yet (so they write no delivery): the code and the pool warm up. */
export const LATENCY_WARM_UP = 50;

export const latencyPart = async ({ pool, members }: { pool: pg.Pool; members: string[] }) => {
  const count = Math.round(RATE * SECONDS);
  console.log(`\nLatency: submitObjection at ${fmt(RATE)}/s for ${SECONDS} s (${fmt(count)}), the worker's delivery loop in this process, the receiver answering after ${RECEIVER_MS} ms…`);
  await removeEndpoints(pool);
  for (const memberId of members.slice(0, LATENCY_WARM_UP)) await submitFor(memberId);
  const receiver = await startReceiver({ answerMs: RECEIVER_MS, parse: true });
  let stopDeliveries: (() => Promise<void>) | undefined;
  try {
    await addEndpoint(receiver.url);
    stopDeliveries = startWebhookDeliveries();
    const resolvedAt = new Map<string, number>();
    const submitMs: number[] = [];
    const run = await atFixedRate({
      rate: RATE,
      count,
      work: async (index) => {
        const submitted = await submitFor(members[LATENCY_WARM_UP + index]!);
        resolvedAt.set(submitted.objectionId, submitted.resolvedAt);
        submitMs.push(submitted.ms);
      },
    });
    if (run.firstError) console.log(`  first failed submission: ${run.firstError instanceof Error ? run.firstError.message : String(run.firstError)}`);
    const allIn = () => [...resolvedAt.keys()].every((id) => receiver.firstAck.has(id));
    await waitUntil({ done: allIn, seconds: DRAIN_SECONDS });
    await stopDeliveries();
    stopDeliveries = undefined;

    const latencies: number[] = [];
    for (const [id, at] of resolvedAt) {
      const ack = receiver.firstAck.get(id);
      if (ack !== undefined) latencies.push(ack - at);
    }
    const lost = resolvedAt.size - latencies.length;
    const latency = msFigures(latencies);
    const submit = msFigures(submitMs);
    figure("latency: submissions started / rate achieved", `${fmt(run.started)} / ${fmt(run.rate, 1)}/s (${fmt(run.failures)} failed)`);
    figure("latency: submitObjection (ms)", `p50 ${fmt(submit.p50, 1)}, p95 ${fmt(submit.p95, 1)}, p99 ${fmt(submit.p99, 1)}`);
    figure("latency: success → receiver's 2xx (ms)", `p50 ${fmt(latency.p50)}, p95 ${fmt(latency.p95)}, p99 ${fmt(latency.p99)}, max ${fmt(latency.max)}`);
    figure("latency: delivered / submitted", `${fmt(latencies.length)} / ${fmt(resolvedAt.size)} (${fmt(lost)} not delivered within ${DRAIN_SECONDS} s, ${fmt(receiver.counts.duplicates)} delivered twice)`);
    figure("latency: most requests open at the receiver", fmt(receiver.counts.maxInFlight));
    const onRate = run.rate >= RATE * 0.95 && run.failures === 0;
    summary.row({ figure: `latency p99 at ${fmt(RATE)}/s (1 worker)`, target: `≤ ${fmt(TARGETS.latencyP99Ms / 1000)} s`, measured: `p50 ${fmt(latency.p50)} ms, p95 ${fmt(latency.p95)} ms, p99 ${fmt(latency.p99)} ms at ${fmt(run.rate, 1)}/s`, pass: latency.p99 <= TARGETS.latencyP99Ms && onRate });
    summary.row({ figure: "latency: delivered = submitted", target: "0 lost", measured: `${fmt(latencies.length)}/${fmt(resolvedAt.size)}, ${fmt(lost)} lost, ${fmt(run.failures)} submissions failed`, pass: lost === 0 && run.failures === 0 });
  } finally {
    await stopDeliveries?.();
    await receiver.close();
  }
};
