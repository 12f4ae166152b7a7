import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { POST as launchRoute } from "@/app/api/v1/campaigns/[id]/launch/route";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { requeueBatch } from "@/lib/campaigns/requeue-batch";
import { callCampaignRoute } from "@/test/campaign-api";
import { waitUntil } from "@/test/campaign-fixtures";
import { setupPacingTestContext } from "@/test/pacing-test-context";
import { TEST_ENV } from "@/test/test-env";

const RATE = 40;
const PACED = 480;
const UNPACED = 300;
const WINDOW_MS = 10_000;
/**
 * Over any WINDOW_MS, a fixed one-second window of the shared budget starts at most 11 times; over
 * any one second, twice (the end of one and the start of the next). The workers record an email's
 * `sentAt` when its chunk's transaction starts, just after its budget was granted, so these bounds
 * hold for it whatever the load, plus a small margin. Arrivals at the SMTP server lag by the send
 * time, which a loaded machine stretches: they are held to a looser bound.
 */
const MARGIN = 10;
const ARRIVAL_TOLERANCE = 0.3;
/** Fewer than a chunk (25): such a domain still moves, a few emails a second. */
const SLOW_RATE = 3;
/** As many as the sendable emails of the skip test: one window holds them all unless the objector spends a point. */
const SKIP_RATE = 4;
const RACE_RATE = 2;

/** An id that sorts first among a batch's rows (the claim takes them in id order). */
const BUSY_ID = "00000000-0000-4000-8000-000000000002";

// This process sends some batches itself, through the same server, with rates of its own. It
// also answers the stats API, which names each paced domain's rate as the worker that waited
// recorded it: paced.test's rate is set on the workers only.
const testContext = setupPacingTestContext({ databaseName: "objection_pacing", domainRates: `slow.test=${SLOW_RATE},skip.test=${SKIP_RATE},race.test=${RACE_RATE}` });
const { arrivals, refusals, smtpUrl, insertRunningCampaign, insertNotifications } = testContext;

/** `count` members in one statement, addressed `<prefix>-<n>@<domain>`. */
const seedMembers = async ({ prefix, count, domain }: { prefix: string; count: number; domain: string }) => {
  const { rows } = await testContext.pool.query<{ email: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT $1 || '-' || i, $1 || '-' || i || '@' || $2, 'IE', '1985-06-01', 'en' FROM generate_series(1, $3) AS i
     RETURNING email`,
    [prefix, domain, count],
  );
  return rows.map((row) => row.email);
};

type TStats = { status: string; total: number; queued: number; sent: number; failed: number; skipped: number; pacing: { domains: { domain: string; ratePerSecond: number | null }[]; at: string } | null };

const stats = async (id: string) => (await callCampaignRoute(statsRoute, { id })).json as unknown as TStats;

/** The most times in any `spanMs` span, and how many fall in the `spanMs` from the first. */
const windowCounts = (times: number[], spanMs = WINDOW_MS) => {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + spanMs) end++;
    most = Math.max(most, end - start);
  }
  const first = sorted[0] ?? 0;
  return { most, fromFirst: sorted.filter((at) => at < first + spanMs).length };
};

describe("per-domain pacing (MAIL_DOMAIN_RATES)", () => {
  it("keeps a paced domain within its rate across two workers, holds no other domain back, and ends done with every member sent", async () => {
    const prefix = `pacing-${randomUUID().slice(0, 8)}`;
    // The rate names the domain in lower case; the addresses' case does not matter.
    const paced = await seedMembers({ prefix: `${prefix}-p`, count: PACED, domain: "Paced.Test" });
    const unpaced = await seedMembers({ prefix: `${prefix}-u`, count: UNPACED, domain: "example.eu" });

    // Two worker processes, two send jobs each. Batches of 100 mix both domains; with an expiry
    // of 8 s a job paces for 4 s at most, then leaves its batch to a fresh job.
    const workerEnv = {
      ...TEST_ENV,
      DATABASE_URL: testContext.database.url,
      SMTP_URL: smtpUrl(),
      MAIL_DOMAIN_RATES: `paced.test=${RATE}`,
      CAMPAIGN_BATCH_SIZE: "100",
      CAMPAIGN_BATCH_EXPIRE_SECONDS: "8",
      JOBS_MAINTENANCE_SECONDS: "1",
    };
    testContext.startWorker(workerEnv);
    testContext.startWorker(workerEnv);

    const created = await callCampaignRoute(createRoute, { body: { name: `pacing ${prefix}`, channels: ["email"], countries: ["IE"] } });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    expect((await callCampaignRoute(launchRoute, { id })).status).toBe(202);

    // While it runs, the campaign says what waits and why.
    let pacing: TStats["pacing"] = null;
    let queuedWhilePaced = 0;
    await waitUntil({
      check: async () => {
        const now = await stats(id);
        if (now.pacing && !pacing) ({ pacing, queued: queuedWhilePaced } = now);
        return now.status === "done";
      },
      timeoutMs: 60_000,
      what: "the campaign to be done",
    });
    expect(pacing).toMatchObject({ domains: [{ domain: "paced.test", ratePerSecond: RATE }], at: expect.any(String) });
    expect(queuedWhilePaced).toBeGreaterThan(0);

    // Done means every member was sent, once; none skipped, none failed, and nothing is said to wait.
    expect(await stats(id)).toMatchObject({ status: "done", total: PACED + UNPACED, queued: 0, sent: PACED + UNPACED, failed: 0, skipped: 0, pacing: null });
    const received = new Map<string, number>();
    for (const { to } of arrivals) received.set(to, (received.get(to) ?? 0) + 1);
    expect(received.size).toBe(PACED + UNPACED);
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    expect([...paced, ...unpaced].every((email) => received.has(email.toLowerCase()))).toBe(true);

    const pacedTimes = arrivals.filter(({ to }) => to.endsWith("@paced.test")).map(({ at }) => at);
    const unpacedTimes = arrivals.filter(({ to }) => to.endsWith("@example.eu")).map(({ at }) => at);
    const { rows: recorded } = await testContext.pool.query<{ sentAt: Date }>(
      `SELECT n."sentAt" FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND lower(m.email) LIKE '%@paced.test'`,
      [id],
    );
    const sentTimes = recorded.map(({ sentAt }) => sentAt.getTime());
    const seconds = WINDOW_MS / 1000;
    const sent10s = windowCounts(sentTimes);
    const sent1s = windowCounts(sentTimes, 1000);
    const arrived10s = windowCounts(pacedTimes);
    const pacedSpanMs = Math.max(...pacedTimes) - Math.min(...pacedTimes);
    const unpacedSpanMs = Math.max(...unpacedTimes) - Math.min(...arrivals.map(({ at }) => at));
    const pacedAfterUnpaced = pacedTimes.filter((at) => at > Math.max(...unpacedTimes)).length;
    console.info(
      `[pacing] paced.test at ${RATE}/s, sent (recorded): ${sent10s.fromFirst} in the first 10 s, at most ${sent10s.most} in any 10 s (allowed ${RATE * (seconds + 1)}), at most ${sent1s.most} in any 1 s (allowed ${2 * RATE}); arrived: at most ${arrived10s.most} in any 10 s, all ${PACED} in ${pacedSpanMs} ms; example.eu: all ${UNPACED} within ${unpacedSpanMs} ms of the first email, ${pacedAfterUnpaced} paced after them`,
    );
    expect(sentTimes).toHaveLength(PACED);
    // Within the rate over any 10 s and any second, and close to it: paced, not merely slow.
    expect(sent10s.most).toBeLessThanOrEqual(RATE * (seconds + 1) + MARGIN);
    expect(sent1s.most).toBeLessThanOrEqual(2 * RATE + MARGIN);
    expect(sent10s.fromFirst).toBeGreaterThanOrEqual(RATE * seconds * 0.7);
    expect(arrived10s.most).toBeLessThanOrEqual(RATE * seconds * (1 + ARRIVAL_TOLERANCE));
    // The unpaced domain did not wait for the paced one: its emails were all out while many paced ones still waited
    // (in order of the rows, they would have finished together).
    expect(pacedAfterUnpaced).toBeGreaterThanOrEqual(PACED / 4);
    // Send jobs that paced for their share of the expiry left their batch to fresh jobs: more jobs than the 8 batches.
    const { rows } = await testContext.pool.query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM pgboss.job WHERE name = 'campaign-batch' AND data->>'campaignId' = $1`, [id]);
    expect(rows[0]!.jobs).toBeGreaterThan((PACED + UNPACED) / 100);
    // Sending at the paced rate takes this long by design: 15 s measured, 60 s allowed.
  }, 60_000);

  it("retries a 4xx of a paced domain in a later job instead of failing the job: a batch over several job lifetimes ends done, each recipient once", async () => {
    const tag = randomUUID().slice(0, 8);
    const campaignId = await insertRunningCampaign(`retry ${tag}`);
    const busy = `retry-${tag}-busy@retry.test`;
    // Claimed first by every job: refused by the first two, each a job of its own, accepted by the third.
    await insertNotifications({ campaignId, rows: [{ email: busy, id: BUSY_ID }, ...Array.from({ length: 30 }, (_, i) => ({ email: `retry-${tag}-${i}@retry.test` }))] });
    refusals.set(busy, 2);
    // A job paces for 2 s at most (half its expiry), so 31 emails at 3 a second take several jobs.
    testContext.startWorker({ ...TEST_ENV, DATABASE_URL: testContext.database.url, SMTP_URL: smtpUrl(), MAIL_DOMAIN_RATES: "retry.test=3", CAMPAIGN_BATCH_EXPIRE_SECONDS: "4", CAMPAIGN_BATCH_RETRY_LIMIT: "1", JOBS_MAINTENANCE_SECONDS: "1" });
    await requeueBatch({ campaignId, batch: 0 });

    await waitUntil({ check: async () => (await campaignStats(campaignId))?.status !== "running", timeoutMs: 60_000, what: "the campaign to end" });
    expect(await campaignStats(campaignId)).toMatchObject({ status: "done", queued: 0, sent: 31, failed: 0 });
    const received = arrivals.filter(({ to }) => to.startsWith(`retry-${tag}-`)).map(({ to }) => to);
    expect(received).toHaveLength(31);
    expect(new Set(received).size).toBe(31);
    const { rows: busyRow } = await testContext.pool.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM "Notification" WHERE id = $1`, [BUSY_ID]);
    expect(busyRow[0]).toEqual({ status: "sent", attempts: 3 });
    // Every job ended well, none retried by the queue (a retry backs off longer each time, and the last fails the campaign).
    const { rows: sendJobs } = await testContext.pool.query<{ state: string; retries: number }>(
      `SELECT state, retry_count AS retries FROM pgboss.job WHERE name = 'campaign-batch' AND data->>'campaignId' = $1`,
      [campaignId],
    );
    expect(sendJobs.length).toBeGreaterThanOrEqual(3);
    expect(sendJobs.every((job) => job.state === "completed" && job.retries === 0)).toBe(true);
    // Several job lifetimes, each waiting out its share of the expiry, by design: 20 s measured, 60 s allowed.
  }, 60_000);
});
