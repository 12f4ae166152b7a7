import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { sendCampaignBatch } from "@/lib/campaigns/send-campaign-batch";
import { QUEUES } from "@/lib/jobs";
import { waitUntil } from "@/test/campaign-fixtures";
import { setupPacingTestContext } from "@/test/pacing-test-context";

// Per-domain pacing of send jobs this process runs itself, with its own rates: how a paced
// domain's budget is spent (app/api/v1/campaigns/domain-pacing.test.ts drives workers through the API).

/** Fewer than a chunk (25): such a domain still moves, a few emails a second. */
const SLOW_RATE = 3;
/** As many as the sendable emails of the skip test: one window holds them all unless the objector spends a point. */
const SKIP_RATE = 4;
const RACE_RATE = 2;

/** Ids that sort first among a batch's rows (the claim takes them in id order). */
const OBJECTOR_ID = "00000000-0000-4000-8000-000000000001";
const WITHDRAWN_ID = "00000000-0000-4000-8000-000000000003";

const testContext = setupPacingTestContext({ databaseName: "objection_pacing_budget", domainRates: `slow.test=${SLOW_RATE},skip.test=${SKIP_RATE},race.test=${RACE_RATE}` });
const { arrivals, insertRunningCampaign, insertNotifications } = testContext;

describe("per-domain pacing (MAIL_DOMAIN_RATES)", () => {
  it("moves a domain whose rate is below a chunk, sends the others first, skips only an objector, and says on the campaign what waited", async () => {
    const tag = randomUUID().slice(0, 8);
    const { rows: campaign } = await testContext.pool.query<{ id: string }>(
      `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "audienceAt") VALUES ($1, '{email}', '{}', 'running', now(), now()) RETURNING id`,
      [`slow ${tag}`],
    );
    const campaignId = campaign[0]!.id;
    const members = [
      ...Array.from({ length: 4 }, (_, i) => ({ email: `slow-${tag}-a${i}@SLOW.test`, batch: 0 })),
      ...Array.from({ length: 3 }, (_, i) => ({ email: `slow-${tag}-b${i}@example.eu`, batch: 0 })),
      { email: `slow-${tag}-objector@slow.test`, batch: 0 },
      ...Array.from({ length: 4 }, (_, i) => ({ email: `slow-${tag}-c${i}@slow.test`, batch: 1 })),
      ...Array.from({ length: 2 }, (_, i) => ({ email: `slow-${tag}-d${i}@example.eu`, batch: 1 })),
    ];
    await testContext.pool.query(
      `WITH m AS (
         INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
         SELECT 'slow-' || gen_random_uuid(), e, 'DE', '1980-01-01', 'en' FROM unnest($1::text[]) AS u(e)
         RETURNING id, email)
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch)
       SELECT m.id, $3, 'email', 'queued', u.b FROM m JOIN unnest($1::text[], $2::int[]) AS u(e, b) ON u.e = m.email`,
      [members.map((m) => m.email), members.map((m) => m.batch), campaignId],
    );
    await testContext.pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = $1`, [`slow-${tag}-objector@slow.test`]);

    // Two send jobs at once, as two workers would run them: they share slow.test's 3 a second.
    const started = Date.now();
    const results = await Promise.all([sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 }), sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 1 })]);
    expect(results.map((result) => result.sent)).toEqual([7, 6]);

    const mine = arrivals.filter(({ to }) => to.startsWith(`slow-${tag}-`) && to.endsWith(".test"));
    const slowTimes = mine.filter(({ to }) => to.endsWith("@slow.test")).map(({ at }) => at);
    const otherTimes = arrivals.filter(({ to }) => to.startsWith(`slow-${tag}-`) && to.endsWith("@example.eu")).map(({ at }) => at);
    expect(slowTimes).toHaveLength(8);
    expect(otherTimes).toHaveLength(5);
    // 8 emails at 3 a second take three one-second windows: at least two seconds from the first to the last.
    expect(Math.max(...slowTimes) - started).toBeGreaterThanOrEqual(1900);
    expect(Math.max(...otherTimes)).toBeLessThan(Math.max(...slowTimes) - 1000);

    const { rows: state } = await testContext.pool.query<{ domain: string; ratePerSecond: number | null; waitedAt: Date }>(`SELECT domain, "ratePerSecond", "waitedAt" FROM "CampaignPacing" WHERE "campaignId" = $1`, [campaignId]);
    expect(state).toEqual([{ domain: "slow.test", ratePerSecond: SLOW_RATE, waitedAt: expect.any(Date) }]);
    // Done now: nothing waits any more, whatever was recorded a moment ago.
    expect(await campaignStats(campaignId)).toMatchObject({ status: "done", total: 0, queued: 0, sent: 13, skipped: 1, failed: 0, pacing: null });
  });

  it("spends no budget on a row the claim skips: four emails and an objector at four a second all go in one window", async () => {
    const tag = randomUUID().slice(0, 8);
    const campaignId = await insertRunningCampaign(`skip ${tag}`);
    const objector = `skip-${tag}-objector@skip.test`;
    // The objector's row comes first, so a point spent on it would hold the fourth email back a window.
    await insertNotifications({ campaignId, rows: [{ email: objector, id: OBJECTOR_ID }, ...Array.from({ length: SKIP_RATE }, (_, i) => ({ email: `skip-${tag}-${i}@skip.test` }))] });
    await testContext.pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = $1`, [objector]);

    expect(await sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 })).toMatchObject({ sent: SKIP_RATE });
    const { rows } = await testContext.pool.query<{ status: string; sentAt: Date | null }>(`SELECT status, "sentAt" FROM "Notification" WHERE "campaignId" = $1`, [campaignId]);
    expect(rows.filter((row) => row.status === "skipped")).toHaveLength(1);
    const sentTimes = rows.flatMap((row) => (row.status === "sent" && row.sentAt ? [row.sentAt.getTime()] : []));
    expect(sentTimes).toHaveLength(SKIP_RATE);
    // A second window starts a full second after the first: well apart from it.
    expect(Math.max(...sentTimes) - Math.min(...sentTimes)).toBeLessThan(500);
    const { rows: budget } = await testContext.pool.query<{ points: number }>(`SELECT points FROM rate_limit WHERE key = 'mail-domain:skip.test'`);
    expect(budget[0]?.points).toBe(SKIP_RATE);
  });

  it("takes budget for a row read as skipped whose objection is withdrawn before the claim: it waits for the next window instead of going without", async () => {
    const tag = randomUUID().slice(0, 8);
    const campaignId = await insertRunningCampaign(`race ${tag}`);
    const withdrawn = `race-${tag}-withdrawn@race.test`;
    await insertNotifications({ campaignId, rows: [{ email: withdrawn, id: WITHDRAWN_ID }, ...Array.from({ length: RACE_RATE }, (_, i) => ({ email: `race-${tag}-${i}@race.test` }))] });
    await testContext.pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = $1`, [withdrawn]);

    // The job reads the objector as skipped, then waits to take race.test's budget on a row this
    // test holds locked; meanwhile the objection goes, and the claim that follows finds the member sendable.
    const holder = await testContext.pool.connect();
    try {
      await holder.query(`INSERT INTO rate_limit (key, points, expire) VALUES ('mail-domain:race.test', 0, 0) ON CONFLICT (key) DO NOTHING`);
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM rate_limit WHERE key = 'mail-domain:race.test' FOR UPDATE`);
      const sending = sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 });
      await waitUntil({
        check: async () =>
          (await testContext.pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%rate_limit%'`)).rowCount === 1,
        timeoutMs: 10_000,
        what: "the job to wait for the domain's budget",
      });
      await testContext.pool.query(`DELETE FROM "Objection" WHERE email = $1`, [withdrawn]);
      await holder.query("COMMIT");
      expect(await sending).toMatchObject({ sent: RACE_RATE + 1 });
    } finally {
      holder.release();
    }

    const { rows } = await testContext.pool.query<{ id: string; status: string; sentAt: Date }>(`SELECT id, status, "sentAt" FROM "Notification" WHERE "campaignId" = $1`, [campaignId]);
    expect(rows.every((row) => row.status === "sent")).toBe(true);
    const late = rows.find((row) => row.id === WITHDRAWN_ID)!.sentAt.getTime();
    const others = rows.filter((row) => row.id !== WITHDRAWN_ID).map((row) => row.sentAt.getTime());
    // The first window's budget went to the two others; the withdrawn objector's email waited for the next.
    expect(late - Math.max(...others)).toBeGreaterThanOrEqual(500);
  });
});
