import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { createWebhookEndpoint } from "@/lib/webhooks/create-webhook-endpoint";
import { claimLeaseSeconds } from "@/lib/webhooks/webhook-delivery-sql";
import { startWorker } from "@/scripts/lib/stack";
import { waitUntil } from "@/test/campaign-fixtures";
import { closeTestDatabase } from "@/test/close-test-database";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";
import { createWebhookMember, objectionOf } from "@/test/webhook-fixtures";

// A worker SIGKILLed with deliveries in flight: its claims' leases run out and another worker
// delivers them. Nothing is lost; what the receiver had already been sent may arrive twice, which
// receivers deduplicate by webhook-id (docs/webhooks.md). The test prints how many did.

const OBJECTIONS = 60;
// A short receiver timeout, so the dead worker's claims lapse in 9 s, not the default's 30.
const TIMEOUT_SECONDS = 3;
const LEASE_SECONDS = claimLeaseSeconds(TIMEOUT_SECONDS);

let database: { name: string; url: string };
let pool: pg.Pool;
const workers: ReturnType<typeof startWorker>[] = [];

/** webhook-ids acknowledged, in order (a repeat is a duplicate delivery). */
const acknowledged: string[] = [];
/** Requests held unanswered while `holding`: the deliveries in flight when the worker dies. */
const held: ServerResponse[] = [];
let holding = true;
const receiver = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (holding) return void held.push(response);
    acknowledged.push(String(request.headers["webhook-id"]));
    response.writeHead(204).end();
  });
});

beforeAll(async () => {
  database = await createTestDatabase("objection_webhook_faults");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: "1" });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
  for (const response of held) response.destroy();
  receiver.close();
  await stopJobs();
  await closePgPool();
  await closeTestDatabase({ database, clients: [pool] });
});

const spawnWorker = () => {
  const worker = startWorker({ env: { ...TEST_ENV, DATABASE_URL: database.url, WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_ENDPOINT_CONCURRENCY: "8", WEBHOOK_TIMEOUT_SECONDS: String(TIMEOUT_SECONDS) }, logs: false });
  workers.push(worker);
  return worker;
};

describe("webhook deliveries", () => {
  it("loses nothing when the worker is SIGKILLed mid-delivery", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    await createWebhookEndpoint({ actor: PLATFORM_ACTOR, url, events: ["objection.effective"] });
    for (let index = 0; index < OBJECTIONS; index++) await objectionOf((await createWebhookMember()).id);

    const first = spawnWorker();
    await waitUntil({ check: async () => held.length > 0, timeoutMs: 60_000, what: "the first deliveries to be in flight" });
    const inFlight = held.length;
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    for (const response of held.splice(0)) response.destroy();
    holding = false;

    const started = Date.now();
    spawnWorker();
    await waitUntil({
      check: async () => (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookDelivery" WHERE status = 'delivered'`)).rows[0]!.n === OBJECTIONS,
      timeoutMs: (LEASE_SECONDS + 60) * 1000,
      what: "every delivery to be acknowledged",
    });
    const ids = (await pool.query<{ id: string }>(`SELECT 'msg_' || id AS id FROM "WebhookEvent"`)).rows.map((row) => row.id);
    expect(new Set(acknowledged)).toEqual(new Set(ids));
    console.log(`SIGKILL mid-delivery: ${inFlight} in flight, all ${OBJECTIONS} acknowledged ${((Date.now() - started) / 1000).toFixed(1)} s after the second worker started (the lease is ${LEASE_SECONDS} s); ${acknowledged.length - ids.length} duplicate(s)`);
  });
});
