import type pg from "pg";

import { deliverDueWebhooks } from "@/lib/webhooks/deliver-due-webhooks";
import { closeWebhookAgents } from "@/lib/webhooks/send-webhook";

import { fmt } from "../lib/report";
import { stopIfInterrupted } from "../lib/run";
import { ANSWER_MS, CONCURRENCY, DELIVERIES, figure, summary, TARGETS } from "./config";
import { addEndpoint, removeEndpoints } from "./fixtures";
import { startReceiver } from "./receiver";

// Throughput: N objections with an objection.effective delivery each, seeded set-based (what the
// form's statement writes, N times), to one endpoint whose receiver answers after --answer-ms.
// Delivery rounds run back to back, as a worker's lane does while there is work, until every
// delivery is acknowledged. The receiver shares this process's CPU, so the figure is a floor.

const SEED_SQL = `
  WITH member AS (
    INSERT INTO "Member" ("externalId", email, country, "birthDate")
    SELECT 'bench-throughput-' || i, 'bench-throughput-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, $1) i
    RETURNING id, email
  ), objection AS (
    INSERT INTO "Objection" ("memberId", email, country, source) SELECT id, email, 'DE', 'direct' FROM member RETURNING id, "memberId"
  ), event AS (
    INSERT INTO "WebhookEvent" (type, "objectionId") SELECT 'objection.effective', id FROM objection RETURNING id, "objectionId"
  )
  INSERT INTO "WebhookDelivery" ("endpointId", "eventId", "objectionId", "orderKey")
  SELECT $2::uuid, e.id, o.id, o."memberId" FROM event e JOIN objection o ON o.id = e."objectionId"`;

export const throughputPart = async (pool: pg.Pool) => {
  console.log(`\nThroughput: ${fmt(DELIVERIES)} deliveries to one endpoint, the receiver answering after ${ANSWER_MS} ms…`);
  await removeEndpoints(pool);
  const receiver = await startReceiver({ answerMs: ANSWER_MS, parse: false });
  try {
    const { id } = await addEndpoint(receiver.url);
    await pool.query(SEED_SQL, [DELIVERIES, id]);
    await pool.query(`ANALYZE "WebhookDelivery"`);
    const started = performance.now();
    let claimed = 0;
    while (claimed < DELIVERIES) {
      stopIfInterrupted();
      claimed += await deliverDueWebhooks();
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE status = 'delivered' AND "endpointId" = $1`, [id]);
    const acknowledged = rows[0]!.n;
    const perSecond = acknowledged / seconds;
    const { maxInFlight, requests } = receiver.counts;
    figure("throughput: acknowledged / requests received", `${fmt(acknowledged)} / ${fmt(requests)} in ${seconds.toFixed(2)} s`);
    figure("throughput: deliveries/s (one worker)", fmt(perSecond));
    figure("throughput: WEBHOOK_ENDPOINT_CONCURRENCY", fmt(CONCURRENCY));
    figure("throughput: most requests open at the receiver", fmt(maxInFlight));
    summary.row({ figure: "throughput, fast receiver (1 worker)", target: `≥ ${fmt(TARGETS.perSecond)}/s`, measured: `${fmt(perSecond)} deliveries/s, ${fmt(acknowledged)}/${fmt(DELIVERIES)} acknowledged`, pass: perSecond >= TARGETS.perSecond && acknowledged === DELIVERIES });
    summary.row({ figure: "throughput: concurrency at the receiver", target: `≤ ${CONCURRENCY}`, measured: `at most ${maxInFlight} open (WEBHOOK_ENDPOINT_CONCURRENCY ${CONCURRENCY})`, pass: maxInFlight <= CONCURRENCY });
  } finally {
    closeWebhookAgents();
    await receiver.close();
  }
};
