// `npx tsx --tsconfig tsconfig.scripts.json scripts/bench/progress.ts [--recipients N] [--small N] [--runs N]`
// Measures what is polled and scraped, in a database of its own, for a campaign of N recipients
// (default 1,000,000; the size is 30,000,000) and, in the same run, one of --small
// (default 10,000):
// - a campaign's progress (campaignStats: GET /api/v1/campaigns/{id} and the console's poll), p95
//   of --runs (default 20), before, during (half sent) and after sending; target ≤ 50 ms, and the
//   large campaign within 1.2× of the small one;
// - the /api/metrics snapshot (readMetricsSnapshot), p95; target ≤ 100 ms;
// - the same figures counted from the rows (the statement progress used before the counters), once
//   per phase, as the baseline the counters replace.
// Not part of `npm test`.
import { parseArgs } from "node:util";

import pg from "pg";

import { CAMPAIGN_RECOUNT } from "@/lib/campaigns/campaign-counters-sql";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { readMetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

import { closeBenchConnections, reportBenchFailure } from "./lib/in-process";
import { figurePrinter, fmt, seconds, timedRuns } from "./lib/report";

const { values } = parseArgs({ options: { recipients: { type: "string", default: "1000000" }, small: { type: "string", default: "10000" }, runs: { type: "string", default: "20" } }, strict: true });
const LARGE = Number(values.recipients);
const SMALL = Number(values.small);
const RUNS = Number(values.runs);
for (const [name, value] of [["--recipients", LARGE], ["--small", SMALL], ["--runs", RUNS]] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of 1 or more`);
}

const figure = figurePrinter(64);
const timedP95 = async (work: () => Promise<unknown>) => (await timedRuns({ runs: RUNS, work })).p95;

const once = async (work: () => Promise<unknown>) => {
  const started = performance.now();
  await work();
  return performance.now() - started;
};

/** A running campaign over `recipients` new members, an email each, all queued: as a launch leaves it. */
const seedCampaign = async ({ pool, recipients, tag }: { pool: pg.Pool; recipients: number; tag: string }) => {
  const started = process.hrtime.bigint();
  await pool.query(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT $2 || '-' || i, $2 || '.' || i || '@example.eu', 'IE', date '1980-01-01' FROM generate_series(1, $1::int) AS i`,
    [recipients, tag],
  );
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, status, "launchedAt", "audienceAt", total) VALUES ($1, '{email}', 'running', now(), now(), $2) RETURNING id`, [tag, recipients]);
  const campaignId = rows[0]!.id;
  await pool.query(`INSERT INTO "Notification" ("memberId", "campaignId", batch, channel) SELECT id, $1, 0, 'email' FROM "Member" WHERE "externalId" LIKE $2 || '-%'`, [campaignId, tag]);
  figure(`seed: ${fmt(recipients)} recipients (s)`, seconds(started).toFixed(1));
  return campaignId;
};

/** Sends the campaign's next `share` of its emails, in statements of 100,000 as chunks add up to. */
const sendShare = async ({ pool, campaignId, recipients, share }: { pool: pg.Pool; campaignId: string; recipients: number; share: number }) => {
  for (let left = Math.round(recipients * share); left > 0; left -= 100_000) {
    await pool.query(
      `UPDATE "Notification" SET status = 'sent', "sentAt" = now(), attempts = 1
       WHERE id IN (SELECT id FROM "Notification" WHERE "campaignId" = $1 AND status = 'queued' LIMIT $2)`,
      [campaignId, Math.min(left, 100_000)],
    );
  }
  await pool.query(`ANALYZE "Notification"`);
};

const measurePhase = async ({ pool, phase, campaigns }: { pool: pg.Pool; phase: string; campaigns: { small: string; large: string } }) => {
  const small = await timedP95(() => campaignStats(campaigns.small));
  const large = await timedP95(() => campaignStats(campaigns.large));
  figure(`${phase}: progress, ${fmt(SMALL)} recipients (ms, p95 of ${RUNS})`, small.toFixed(2));
  figure(`${phase}: progress, ${fmt(LARGE)} recipients (ms, p95, target <= 50)`, large.toFixed(2));
  figure(`${phase}: large / small (ratio, target <= 1.2)`, (large / small).toFixed(2));
  figure(`${phase}: baseline, the rows recounted, ${fmt(LARGE)} (ms, once)`, (await once(() => pool.query(CAMPAIGN_RECOUNT, [campaigns.large]))).toFixed(0));
  figure(`${phase}: /api/metrics snapshot (ms, p95, target <= 100)`, (await timedP95(() => readMetricsSnapshot())).toFixed(2));
};

const main = async () => {
  const database = await createTestDatabase("objection_bench");
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: database.url });
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const campaigns = { small: await seedCampaign({ pool, recipients: SMALL, tag: "small" }), large: await seedCampaign({ pool, recipients: LARGE, tag: "large" }) };
    await pool.query(`ANALYZE`);
    await measurePhase({ pool, phase: "before sending", campaigns });
    await sendShare({ pool, campaignId: campaigns.small, recipients: SMALL, share: 0.5 });
    await sendShare({ pool, campaignId: campaigns.large, recipients: LARGE, share: 0.5 });
    await measurePhase({ pool, phase: "half sent", campaigns });
    await sendShare({ pool, campaignId: campaigns.small, recipients: SMALL, share: 0.5 });
    await sendShare({ pool, campaignId: campaigns.large, recipients: LARGE, share: 0.5 });
    await measurePhase({ pool, phase: "all sent", campaigns });
  } finally {
    await closeBenchConnections(pool);
    await dropTestDatabase(database.name);
  }
};

main().catch(reportBenchFailure);
