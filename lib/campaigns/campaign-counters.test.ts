import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CAMPAIGN_PROGRESS, CAMPAIGN_RECOUNT, type TCampaignCountsRow } from "@/lib/campaigns/campaign-counters-sql";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { closePgPool, pgPool } from "@/lib/pg";
import { createCampaign } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";

// The campaign counters (migration campaign_counters) are kept by triggers in the statements that
// change notifications and objections. Whatever mix of statements runs, on whatever connections at
// once, the counters must say what a full recount of the rows says.

beforeAll(() => {
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: process.env.DATABASE_URL });
});

afterAll(async () => {
  await closePgPool();
});

const FIGURES = ["queued", "sent", "failed", "skipped", "seen", "clicked", "objected", "reached"] as const;

const counted = async (campaignId: string) => {
  const [{ rows: progress }, { rows: recount }] = await Promise.all([pgPool().query<TCampaignCountsRow>(CAMPAIGN_PROGRESS, [campaignId]), pgPool().query<TCampaignCountsRow>(CAMPAIGN_RECOUNT, [campaignId])]);
  const figures = (row: TCampaignCountsRow | undefined) => Object.fromEntries(FIGURES.map((figure) => [figure, Number(row?.[figure])]));
  return { counters: figures(progress[0]), recount: figures(recount[0]) };
};

// What /api/metrics reads (counters) against what the rows say, for the whole database.
const METRIC_COUNTERS = `
  SELECT (SELECT jsonb_object_agg(status, n) FROM (SELECT status, sum(count)::int AS n FROM "DashboardObjectionCounter" GROUP BY status HAVING sum(count) <> 0) s) AS objections,
         (SELECT jsonb_object_agg(outcome, n) FROM (SELECT outcome, sum(count)::int AS n FROM "EmailCounter" WHERE kind = 'notice' GROUP BY outcome HAVING sum(count) <> 0) e) AS notices`;
const METRIC_RECOUNT = `
  SELECT (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM "Objection" GROUP BY status) s) AS objections,
         (SELECT jsonb_object_agg(outcome, n) FROM (SELECT CASE status WHEN 'failed' THEN 'failed' ELSE 'sent' END AS outcome, count(*)::int AS n FROM "Notification"
            WHERE channel = 'email' AND status IN ('sent', 'seen', 'clicked', 'failed') GROUP BY 1) e) AS notices`;

/** A seeded generator (mulberry32): the same mix on every run, FUZZ_SEED for another. */
const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const seedCampaign = async (members: number) => {
  const campaign = await createCampaign({ db: pgPool(), channels: ["email", "in_app"], status: "running", launchedAt: "now", audienceAt: "now" });
  const { rows } = await pgPool().query<{ id: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate") SELECT 'counted-' || u, 'counted-' || u || '@example.eu', 'IE', '1990-01-01'
     FROM (SELECT gen_random_uuid() AS u FROM generate_series(1, $1::int)) g RETURNING id`,
    [members],
  );
  // The audience arrives as the app writes it: one statement for many rows.
  await pgPool().query(`INSERT INTO "Notification" ("memberId", "campaignId", channel) SELECT m, $1, c::"NotificationChannel" FROM unnest($2::uuid[]) m CROSS JOIN unnest('{email,in_app}'::text[]) c`, [
    campaign.id,
    rows.map(({ id }) => id),
  ]);
  return campaign.id;
};

// The rows a step changes: chosen at random, locked in id order. Two statements that locked their
// random picks in pick order could each hold a row the other waits for (PostgreSQL found that
// deadlock between two "seen" steps), which is the test's doing, not the counters'.
const picked = (table: "Notification" | "Objection", pick: string) =>
  `SELECT t.id FROM "${table}" t WHERE t.id IN (${pick}) ORDER BY t.id FOR UPDATE OF t`;
const notices = (where: string, limit: number) => picked("Notification", `SELECT id FROM "Notification" WHERE "campaignId" = $1 AND ${where} ORDER BY random() LIMIT ${limit}`);
const objections = (where: string) =>
  picked("Objection", `SELECT o.id FROM "Objection" o JOIN "Notification" n ON n.id = o."notificationId" WHERE n."campaignId" = $1 AND ${where} ORDER BY random() LIMIT 1`);

// Each step is one statement, as the app's own would change the rows: a chunk sent, failed or
// skipped, a bounce recorded or lifted, a notice seen or clicked, an objection made, withdrawn, or
// its notice removed from it.
const STEPS = [
  `UPDATE "Notification" SET status = 'sent', "sentAt" = now() WHERE id IN (${notices(`channel = 'email' AND status = 'queued'`, 5)})`,
  `UPDATE "Notification" SET status = 'failed' WHERE id IN (${notices(`channel = 'email' AND status = 'queued'`, 2)})`,
  `UPDATE "Notification" SET status = 'skipped', "skipReason" = 'objected' WHERE id IN (${notices(`status = 'queued'`, 2)})`,
  `UPDATE "Notification" SET "bounceKind" = 'hard', "bouncedAt" = now() WHERE id IN (${notices(`channel = 'email' AND status = 'sent'`, 2)})`,
  `UPDATE "Notification" SET "bounceKind" = NULL, "bouncedAt" = NULL WHERE id IN (${notices(`"bounceKind" IS NOT NULL`, 1)})`,
  `UPDATE "Notification" SET status = 'seen', "seenAt" = now() WHERE id IN (${notices(`status IN ('sent', 'queued')`, 3)})`,
  `UPDATE "Notification" SET status = 'clicked', "clickedAt" = now(), "seenAt" = coalesce("seenAt", now()) WHERE id IN (${notices(`status IN ('sent', 'seen')`, 2)})`,
  `INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source)
     SELECT n."memberId", n.id, n."campaignId", 'counted@example.eu', 'IE', 'email_link' FROM "Notification" n
     WHERE n."campaignId" = $1 AND NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = n."memberId" AND o.status = 'effective')
     ORDER BY random() LIMIT 1
     ON CONFLICT DO NOTHING`,
  `UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now() WHERE id IN (${objections(`o.status = 'effective'`)})`,
  `UPDATE "Objection" SET "notificationId" = NULL, "campaignId" = NULL WHERE id IN (${objections("true")})`,
  `UPDATE "Notification" SET attempts = attempts + 1, "lastError" = 'try again' WHERE id IN (${notices("true", 3)})`,
] as const;

describe("counters kept by triggers", () => {
  it("agree with a full recount (campaign progress, objections by status, notices by outcome) after a random mix of sends, bounces, seen notices, objections and withdrawals on four connections at once", async () => {
    const campaigns = [await seedCampaign(40), await seedCampaign(40)];
    const random = seededRandom(Number(process.env.FUZZ_SEED ?? 20261206));
    const plan = Array.from({ length: 4 }, () => Array.from({ length: 60 }, () => ({ campaignId: campaigns[Math.floor(random() * campaigns.length)]!, step: STEPS[Math.floor(random() * STEPS.length)]! })));
    // Four connections at once, each running its steps one after the other: their statements
    // interleave as concurrent send jobs and clicks do.
    await Promise.all(
      plan.map(async (steps) => {
        for (const { campaignId, step } of steps) await pgPool().query(step, [campaignId]);
      }),
    );
    for (const campaignId of campaigns) {
      const { counters, recount } = await counted(campaignId);
      expect(counters).toEqual(recount);
      // The mix moved every figure, so the test sees each one counted.
      for (const figure of ["sent", "seen", "clicked", "reached"] as const) expect(recount[figure]).toBeGreaterThan(0);
    }
    const [{ rows: metricCounters }, { rows: metricRecount }] = await Promise.all([pgPool().query(METRIC_COUNTERS), pgPool().query(METRIC_RECOUNT)]);
    expect(metricCounters).toEqual(metricRecount);
  });

  it("counts a member reached by both channels once, and no longer once a bounce takes back their only reached notice", async () => {
    const campaignId = await seedCampaign(1);
    await pgPool().query(`UPDATE "Notification" SET status = 'sent' WHERE "campaignId" = $1 AND channel = 'email'`, [campaignId]);
    await pgPool().query(`UPDATE "Notification" SET "seenAt" = now() WHERE "campaignId" = $1 AND channel = 'in_app'`, [campaignId]);
    expect((await campaignStats(campaignId))?.reached).toBe(1);
    await pgPool().query(`UPDATE "Notification" SET "seenAt" = NULL WHERE "campaignId" = $1 AND channel = 'in_app'`, [campaignId]);
    expect((await campaignStats(campaignId))?.reached).toBe(1);
    await pgPool().query(`UPDATE "Notification" SET "bounceKind" = 'hard' WHERE "campaignId" = $1 AND channel = 'email'`, [campaignId]);
    expect(await campaignStats(campaignId)).toMatchObject({ sent: 1, reached: 0 });
  });

  it("counts a member once when two transactions reach them on both channels at once", async () => {
    const campaignId = await seedCampaign(1);
    const [first, second] = [await pgPool().connect(), await pgPool().connect()];
    try {
      await first.query("BEGIN");
      await first.query(`UPDATE "Notification" SET status = 'sent' WHERE "campaignId" = $1 AND channel = 'email'`, [campaignId]);
      // The second sees the first's email uncommitted: unless it waits for it, it counts the member again.
      const seen = second.query(`UPDATE "Notification" SET "seenAt" = now() WHERE "campaignId" = $1 AND channel = 'in_app'`, [campaignId]);
      await first.query("COMMIT");
      await seen;
    } finally {
      first.release();
      second.release();
    }
    expect(await campaignStats(campaignId)).toMatchObject({ sent: 1, seen: 1, reached: 1 });
  });

  it("counts a statement that reaches 40,000 members at once, without filling the server's lock table", async () => {
    // More members than this server's lock table holds a lock each for (64 × 100 connections, and its slack).
    const campaignId = await seedCampaign(40_000);
    await pgPool().query(`UPDATE "Notification" SET status = 'sent' WHERE "campaignId" = $1 AND channel = 'email'`, [campaignId]);
    expect(await campaignStats(campaignId)).toMatchObject({ queued: 0, sent: 40_000, reached: 40_000 });
  });

  it("rolls back with the statement's transaction", async () => {
    const campaignId = await seedCampaign(3);
    const client = await pgPool().connect();
    try {
      await client.query("BEGIN");
      await client.query(`UPDATE "Notification" SET status = 'sent' WHERE "campaignId" = $1 AND channel = 'email'`, [campaignId]);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await campaignStats(campaignId)).toMatchObject({ queued: 3, sent: 0, reached: 0 });
  });

  it("leaves nothing behind when a campaign is deleted with its notifications", async () => {
    const campaignId = await seedCampaign(2);
    await pgPool().query(`UPDATE "Notification" SET status = 'sent' WHERE "campaignId" = $1`, [campaignId]);
    await pgPool().query(`DELETE FROM "Campaign" WHERE id = $1`, [campaignId]);
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CampaignCounter" WHERE "campaignId" = $1`, [campaignId]);
    expect(rows).toEqual([{ n: 0 }]);
  });
});
