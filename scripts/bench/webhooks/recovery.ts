import type pg from "pg";

import { startWebhookDeliveries } from "@/lib/webhooks/start-webhook-deliveries";

import { fmt, sleep } from "../lib/report";
import { stopIfInterrupted } from "../lib/run";
import { figure, OUTAGE_MINUTES, OUTAGE_MODE, OUTAGE_RATE, RECEIVER_MS, summary, TARGETS } from "./config";
import { addEndpoint, atFixedRate, removeEndpoints, submitFor, waitUntil } from "./fixtures";
import { startReceiver } from "./receiver";

// Recovery: objections keep coming at --outage-rate while the receiver is down for
// --outage-minutes (refusing connections, or answering 503), with the worker's delivery loop in
// this process. The clock is not faked: the retry schedule reads how long the endpoint has been
// failing ("failingSince"), so only the real wait measures it. The figure is the time from the
// receiver's coming back to its 2xx for the last objection submitted before that; then the
// submissions stop and every objection must arrive (none lost).

/** The receiver answers before the outage, so the lane is known to work. */
const UP_SECONDS = 10;
/** After coming back: submissions go on for at most this long while the backlog drains. */
const RECOVERY_CAP_SECONDS = TARGETS.recoverySeconds * 1.5;
/** After the submissions stop, how long the last of them may take. */
const DRAIN_SECONDS = 120;

/** The members the part may use: one per submission, at the rate, for its whole length. */
export const recoveryMembers = () => Math.ceil(OUTAGE_RATE * (UP_SECONDS + OUTAGE_MINUTES * 60 + RECOVERY_CAP_SECONDS) * 1.1) + 10;

type TBacklog = { pending: number; failingSeconds: number | null; nextRetrySeconds: number | null };

/**
 * The endpoint's pending deliveries, how long it has been failing, and when the latest-scheduled
 * attempt is due (a delivery in flight at that moment counts with its claim's 30 s lease).
 */
const backlogOf = async (pool: pg.Pool, endpointId: string) =>
  (
    await pool.query<TBacklog>(
      `SELECT (SELECT count(*)::int FROM "WebhookDelivery" WHERE "endpointId" = $1 AND status = 'pending') AS pending,
              extract(epoch FROM now() - e."failingSince")::float AS "failingSeconds",
              (SELECT extract(epoch FROM max("nextAttemptAt") - now())::float FROM "WebhookDelivery" WHERE "endpointId" = $1 AND status = 'pending') AS "nextRetrySeconds"
         FROM "WebhookEndpoint" e WHERE e.id = $1`,
      [endpointId],
    )
  ).rows[0]!;

const describeBacklog = ({ pending, failingSeconds, nextRetrySeconds }: TBacklog) =>
  `${fmt(pending)} pending, failing for ${failingSeconds === null ? "-" : `${fmt(failingSeconds)} s`}, latest attempt due in ${nextRetrySeconds === null ? "-" : `${fmt(nextRetrySeconds)} s`}`;

export const recoveryPart = async ({ pool, members }: { pool: pg.Pool; members: string[] }) => {
  console.log(`\nRecovery: submitObjection at ${fmt(OUTAGE_RATE)}/s; the receiver (answering after ${RECEIVER_MS} ms) up ${UP_SECONDS} s, then down (${OUTAGE_MODE === "refuse" ? "refusing connections" : "answering 503"}) for ${fmt(OUTAGE_MINUTES, 2)} min, then back…`);
  await removeEndpoints(pool);
  const receiver = await startReceiver({ answerMs: RECEIVER_MS, parse: true });
  let stopDeliveries: (() => Promise<void>) | undefined;
  let stopSubmitting = false;
  let submissions: ReturnType<typeof atFixedRate> | undefined;
  try {
    const { id: endpointId } = await addEndpoint(receiver.url);
    stopDeliveries = startWebhookDeliveries();
    const resolvedAt = new Map<string, number>();
    submissions = atFixedRate({
      rate: OUTAGE_RATE,
      count: members.length,
      stop: () => stopSubmitting,
      work: async (index) => {
        const submitted = await submitFor(members[index]!);
        resolvedAt.set(submitted.objectionId, submitted.resolvedAt);
      },
    });
    await sleep(UP_SECONDS * 1000);
    stopIfInterrupted();

    receiver.down(OUTAGE_MODE);
    const downAt = performance.now();
    const outageMs = OUTAGE_MINUTES * 60_000;
    let reported = 0;
    while (performance.now() - downAt < outageMs) {
      await sleep(Math.min(1000, outageMs - (performance.now() - downAt)));
      stopIfInterrupted();
      const minute = Math.floor((performance.now() - downAt) / 60_000);
      if (minute > reported) {
        reported = minute;
        console.log(`  down ${minute} min: ${fmt(resolvedAt.size)} submitted, ${describeBacklog(await backlogOf(pool, endpointId))}`);
      }
    }
    const atBack = await backlogOf(pool, endpointId);
    await receiver.up();
    const backAt = performance.now();
    const before = [...resolvedAt].filter(([, at]) => at < backAt).map(([id]) => id);
    figure("recovery: at coming back", describeBacklog(atBack));

    const recovered = await waitUntil({ done: () => before.every((id) => receiver.firstAck.has(id)), seconds: RECOVERY_CAP_SECONDS });
    const lastAck = before.reduce((latest, id) => Math.max(latest, receiver.firstAck.get(id) ?? backAt), backAt);
    const recoverySeconds = recovered ? (lastAck - backAt) / 1000 : Number.POSITIVE_INFINITY;
    stopSubmitting = true;
    const run = await submissions;
    submissions = undefined;
    if (run.firstError) console.log(`  first failed submission: ${run.firstError instanceof Error ? run.firstError.message : String(run.firstError)}`);
    if (run.started >= members.length) console.log(`  the ${fmt(members.length)} members for this part ran out`);
    await waitUntil({ done: () => [...resolvedAt.keys()].every((id) => receiver.firstAck.has(id)), seconds: DRAIN_SECONDS });
    const atEnd = await backlogOf(pool, endpointId);
    await stopDeliveries();
    stopDeliveries = undefined;

    const lost = [...resolvedAt.keys()].filter((id) => !receiver.firstAck.has(id)).length;
    const { requests, refused503, duplicates } = receiver.counts;
    figure("recovery: submitted / rate achieved", `${fmt(resolvedAt.size)} / ${fmt(run.rate, 1)}/s (${fmt(run.failures)} failed)`);
    figure("recovery: submitted before coming back", fmt(before.length));
    figure("recovery: requests at the receiver", `${fmt(requests)}${OUTAGE_MODE === "503" ? ` (${fmt(refused503)} answered 503)` : ""}, ${fmt(duplicates)} delivered twice`);
    figure("recovery: back → all of those delivered (s)", recovered ? recoverySeconds.toFixed(1) : `not within ${RECOVERY_CAP_SECONDS} s`);
    figure("recovery: delivered / submitted, at the end", `${fmt(resolvedAt.size - lost)} / ${fmt(resolvedAt.size)}; ${describeBacklog(atEnd)}`);
    summary.row({ figure: `recovery after ${fmt(OUTAGE_MINUTES, 2)} min down (${OUTAGE_MODE})`, target: `≤ ${TARGETS.recoverySeconds} s`, measured: recovered ? `${recoverySeconds.toFixed(1)} s for ${fmt(before.length)} objections` : `not within ${RECOVERY_CAP_SECONDS} s`, pass: recoverySeconds <= TARGETS.recoverySeconds });
    summary.row({ figure: "recovery: lost", target: "0", measured: `${fmt(lost)} of ${fmt(resolvedAt.size)}, ${fmt(run.failures)} submissions failed`, pass: lost === 0 && run.failures === 0 && atEnd.pending === 0 });
  } finally {
    stopSubmitting = true;
    await submissions?.catch(() => undefined);
    await stopDeliveries?.();
    await receiver.close();
  }
};
