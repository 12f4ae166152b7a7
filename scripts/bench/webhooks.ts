// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/webhooks.ts [--deliveries N] [--concurrency N] [--answer-ms N]`
// Throughput of one worker's webhook deliveries (lib/webhooks/deliver-due-webhooks.ts), in a
// database of its own: N objections (default 20,000) with an objection.effective delivery each, to
// one endpoint, an HTTP receiver in this process answering 204 after --answer-ms (default 0).
// Delivery rounds run back to back, as the worker's loop does, until every delivery is
// acknowledged. Prints deliveries/s and the per-endpoint concurrency. Target (issue 28): ≥ 1,000
// deliveries/s per worker to a fast receiver. The receiver shares this process's CPU, so the
// figure is a floor. Not part of `npm test`; the latency and recovery targets are not measured here yet.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";

import pg from "pg";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { deliverDueWebhooks } from "@/lib/webhooks/deliver-due-webhooks";
import { closeWebhookAgents } from "@/lib/webhooks/send-webhook";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";

const { values } = parseArgs({
  options: { deliveries: { type: "string", default: "20000" }, concurrency: { type: "string", default: "64" }, "answer-ms": { type: "string", default: "0" } },
  strict: true,
});
const DELIVERIES = Number(values.deliveries);
const ANSWER_MS = Number(values["answer-ms"]);
if (!Number.isInteger(DELIVERIES) || DELIVERIES < 1) throw new Error("--deliveries must be a whole number of 1 or more");
if (!Number.isInteger(Number(values.concurrency)) || Number(values.concurrency) < 1) throw new Error("--concurrency must be a whole number of 1 or more");

// Members, their effective objections, the events and the deliveries, set-based: what the form's statement writes, N times.
const SEED_SQL = `
  WITH member AS (
    INSERT INTO "Member" ("externalId", email, country, "birthDate")
    SELECT 'bench-' || i, 'bench-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, $1) i
    RETURNING id, email
  ), objection AS (
    INSERT INTO "Objection" ("memberId", email, country, source) SELECT id, email, 'DE', 'direct' FROM member RETURNING id, "memberId"
  ), event AS (
    INSERT INTO "WebhookEvent" (type, "objectionId") SELECT 'objection.effective', id FROM objection RETURNING id, "objectionId"
  )
  INSERT INTO "WebhookDelivery" ("endpointId", "eventId", "objectionId", "orderKey")
  SELECT $2::uuid, e.id, o.id, o."memberId" FROM event e JOIN objection o ON o.id = e."objectionId"`;

const main = async () => {
  const database = await createTestDatabase("objection_bench_webhooks");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_ENDPOINT_CONCURRENCY: values.concurrency });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  let received = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received++;
      setTimeout(() => response.writeHead(204).end(), ANSWER_MS);
    });
  });
  try {
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { id } = await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ["objection.effective"] });
    await pool.query(SEED_SQL, [DELIVERIES, id]);
    const started = performance.now();
    let delivered = 0;
    while (delivered < DELIVERIES) delivered += await deliverDueWebhooks();
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE status = 'delivered'`);
    console.log(JSON.stringify({ deliveries: DELIVERIES, acknowledged: rows[0]!.n, received, seconds: Number(seconds.toFixed(2)), perSecond: Math.round(DELIVERIES / seconds), concurrency: Number(values.concurrency), answerMs: ANSWER_MS }));
  } finally {
    closeWebhookAgents();
    receiver.close();
    await closeBenchConnections(pool);
    await dropTestDatabase(database.name);
  }
};

main().catch(reportBenchFailure);
