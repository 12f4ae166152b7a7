import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";

import pg from "pg";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { POST as launchRoute } from "@/app/api/v1/campaigns/[id]/launch/route";
import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { requeueBatch } from "@/lib/campaigns/requeue-batch";
import { sendCampaignBatch } from "@/lib/campaigns/send-campaign-batch";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { closeMailTransport } from "@/lib/mail/transport";
import { closePgPool } from "@/lib/pg";
import { waitUntil } from "@/test/campaign-fixtures";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";
import { startWorker, type TStopper } from "@/scripts/lib/stack";

const TOKEN = TEST_ENV.PLATFORM_API_TOKEN;
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

let database: { name: string; url: string };
let pool: pg.Pool;
let smtp: SMTPServer;
/** Each email as the SMTP server took it: its recipient and when its DATA ended. */
const arrivals: { to: string; at: number }[] = [];
/** Addresses the SMTP server answers 451 at RCPT TO, and how many times more it does. */
const refusals = new Map<string, number>();
const workers: TStopper[] = [];

const smtpUrl = () => `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;

/** `count` members in one statement, addressed `<prefix>-<n>@<domain>`. */
const seedMembers = async ({ prefix, count, domain }: { prefix: string; count: number; domain: string }) => {
  const { rows } = await pool.query<{ email: string }>(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT $1 || '-' || i, $1 || '-' || i || '@' || $2, 'IE', '1985-06-01', 'en' FROM generate_series(1, $3) AS i
     RETURNING email`,
    [prefix, domain, count],
  );
  return rows.map((row) => row.email);
};

const call = async (handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>, { id = "", body }: { id?: string; body?: unknown } = {}) => {
  const request = new Request("http://localhost/api/v1/campaigns", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve({ id }) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

type TStats = { status: string; total: number; queued: number; sent: number; failed: number; skipped: number; pacing: { domains: { domain: string; ratePerSecond: number | null }[]; at: string } | null };

/** Ids that sort first among a batch's rows (the claim takes them in id order). */
const OBJECTOR_ID = "00000000-0000-4000-8000-000000000001";
const BUSY_ID = "00000000-0000-4000-8000-000000000002";
const WITHDRAWN_ID = "00000000-0000-4000-8000-000000000003";

const insertRunningCampaign = async (name: string) => {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "audienceAt") VALUES ($1, '{email}', '{}', 'running', now(), now()) RETURNING id`,
    [name],
  );
  return rows[0]!.id;
};

/** A member and a queued email of batch 0 for each row, the email's id given or random. */
const insertNotifications = async ({ campaignId, rows }: { campaignId: string; rows: { email: string; id?: string }[] }) => {
  await pool.query(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT 'pacing-' || gen_random_uuid(), e, 'DE', '1980-01-01', 'en' FROM unnest($1::text[]) AS u(e)
       RETURNING id, email)
     INSERT INTO "Notification" (id, "memberId", "campaignId", channel, status, batch)
     SELECT COALESCE(u.id, gen_random_uuid()), m.id, $3, 'email', 'queued', 0 FROM m JOIN unnest($1::text[], $2::uuid[]) AS u(e, id) ON u.e = m.email`,
    [rows.map((row) => row.email), rows.map((row) => row.id ?? null), campaignId],
  );
};

const stats = async (id: string) => (await call(statsRoute, { id })).json as unknown as TStats;

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

beforeAll(async () => {
  // The audience is every eligible member in the database: this file has a database of its own.
  database = await createTestDatabase("objection_pacing");
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo: (address, _session, callback) => {
      const left = refusals.get(address.address.toLowerCase()) ?? 0;
      if (left === 0) return callback();
      refusals.set(address.address.toLowerCase(), left - 1);
      callback(Object.assign(new Error("4.2.1 Mailbox busy, try again later"), { responseCode: 451 }));
    },
    onData: (stream, session, callback) => {
      stream.resume();
      stream.on("end", () => {
        for (const to of session.envelope.rcptTo) arrivals.push({ to: to.address.toLowerCase(), at: Date.now() });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  // This process sends some batches itself, through the same server, with rates of its own. It
  // also answers the stats API, which names each paced domain's rate as the worker that waited
  // recorded it: paced.test's rate is set on the workers only.
  Object.assign(process.env, { ...TEST_ENV, DATABASE_URL: database.url, SMTP_URL: smtpUrl(), MAIL_DOMAIN_RATES: `slow.test=${SLOW_RATE},skip.test=${SKIP_RATE},race.test=${RACE_RATE}` });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
});

// A test's workers (and their rates) do not take the next test's jobs.
afterEach(async () => {
  await Promise.all(workers.splice(0).map((worker) => worker.stop()));
});

afterAll(async () => {
  await stopJobs();
  closeMailTransport();
  await closePgPool();
  await db().$disconnect();
  await pool.end();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await dropTestDatabase(database.name);
});

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
      DATABASE_URL: database.url,
      SMTP_URL: smtpUrl(),
      MAIL_DOMAIN_RATES: `paced.test=${RATE}`,
      CAMPAIGN_BATCH_SIZE: "100",
      CAMPAIGN_BATCH_EXPIRE_SECONDS: "8",
      JOBS_MAINTENANCE_SECONDS: "1",
    };
    workers.push(startWorker({ env: workerEnv, logs: false }), startWorker({ env: workerEnv, logs: false }));

    const created = await call(createRoute, { body: { name: `pacing ${prefix}`, channels: ["email"], countries: ["IE"] } });
    expect(created.status).toBe(201);
    const id = String(created.json.id);
    expect((await call(launchRoute, { id })).status).toBe(202);

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
    const { rows: recorded } = await pool.query<{ sentAt: Date }>(
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
    const { rows } = await pool.query<{ jobs: number }>(`SELECT count(*)::int AS jobs FROM pgboss.job WHERE name = 'campaign-batch' AND data->>'campaignId' = $1`, [id]);
    expect(rows[0]!.jobs).toBeGreaterThan((PACED + UNPACED) / 100);
    // Sending at the paced rate takes this long by design: 15 s measured, 60 s allowed.
  }, 60_000);

  it("moves a domain whose rate is below a chunk, sends the others first, skips only an objector, and says on the campaign what waited", async () => {
    const tag = randomUUID().slice(0, 8);
    const { rows: campaign } = await pool.query<{ id: string }>(
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
    await pool.query(
      `WITH m AS (
         INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
         SELECT 'slow-' || gen_random_uuid(), e, 'DE', '1980-01-01', 'en' FROM unnest($1::text[]) AS u(e)
         RETURNING id, email)
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch)
       SELECT m.id, $3, 'email', 'queued', u.b FROM m JOIN unnest($1::text[], $2::int[]) AS u(e, b) ON u.e = m.email`,
      [members.map((m) => m.email), members.map((m) => m.batch), campaignId],
    );
    await pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = $1`, [`slow-${tag}-objector@slow.test`]);

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

    const { rows: state } = await pool.query<{ domain: string; ratePerSecond: number | null; waitedAt: Date }>(`SELECT domain, "ratePerSecond", "waitedAt" FROM "CampaignPacing" WHERE "campaignId" = $1`, [campaignId]);
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
    await pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = $1`, [objector]);

    expect(await sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 })).toMatchObject({ sent: SKIP_RATE });
    const { rows } = await pool.query<{ status: string; sentAt: Date | null }>(`SELECT status, "sentAt" FROM "Notification" WHERE "campaignId" = $1`, [campaignId]);
    expect(rows.filter((row) => row.status === "skipped")).toHaveLength(1);
    const sentTimes = rows.flatMap((row) => (row.status === "sent" && row.sentAt ? [row.sentAt.getTime()] : []));
    expect(sentTimes).toHaveLength(SKIP_RATE);
    // A second window starts a full second after the first: well apart from it.
    expect(Math.max(...sentTimes) - Math.min(...sentTimes)).toBeLessThan(500);
    const { rows: budget } = await pool.query<{ points: number }>(`SELECT points FROM rate_limit WHERE key = 'mail-domain:skip.test'`);
    expect(budget[0]?.points).toBe(SKIP_RATE);
  });

  it("takes budget for a row read as skipped whose objection is withdrawn before the claim: it waits for the next window instead of going without", async () => {
    const tag = randomUUID().slice(0, 8);
    const campaignId = await insertRunningCampaign(`race ${tag}`);
    const withdrawn = `race-${tag}-withdrawn@race.test`;
    await insertNotifications({ campaignId, rows: [{ email: withdrawn, id: WITHDRAWN_ID }, ...Array.from({ length: RACE_RATE }, (_, i) => ({ email: `race-${tag}-${i}@race.test` }))] });
    await pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = $1`, [withdrawn]);

    // The job reads the objector as skipped, then waits to take race.test's budget on a row this
    // test holds locked; meanwhile the objection goes, and the claim that follows finds the member sendable.
    const holder = await pool.connect();
    try {
      await holder.query(`INSERT INTO rate_limit (key, points, expire) VALUES ('mail-domain:race.test', 0, 0) ON CONFLICT (key) DO NOTHING`);
      await holder.query("BEGIN");
      await holder.query(`SELECT 1 FROM rate_limit WHERE key = 'mail-domain:race.test' FOR UPDATE`);
      const sending = sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 });
      await waitUntil({
        check: async () =>
          (await pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%rate_limit%'`)).rowCount === 1,
        timeoutMs: 10_000,
        what: "the job to wait for the domain's budget",
      });
      await pool.query(`DELETE FROM "Objection" WHERE email = $1`, [withdrawn]);
      await holder.query("COMMIT");
      expect(await sending).toMatchObject({ sent: RACE_RATE + 1 });
    } finally {
      holder.release();
    }

    const { rows } = await pool.query<{ id: string; status: string; sentAt: Date }>(`SELECT id, status, "sentAt" FROM "Notification" WHERE "campaignId" = $1`, [campaignId]);
    expect(rows.every((row) => row.status === "sent")).toBe(true);
    const late = rows.find((row) => row.id === WITHDRAWN_ID)!.sentAt.getTime();
    const others = rows.filter((row) => row.id !== WITHDRAWN_ID).map((row) => row.sentAt.getTime());
    // The first window's budget went to the two others; the withdrawn objector's email waited for the next.
    expect(late - Math.max(...others)).toBeGreaterThanOrEqual(500);
  });

  it("retries a 4xx of a paced domain in a later job instead of failing the job: a batch over several job lifetimes ends done, each recipient once", async () => {
    const tag = randomUUID().slice(0, 8);
    const campaignId = await insertRunningCampaign(`retry ${tag}`);
    const busy = `retry-${tag}-busy@retry.test`;
    // Claimed first by every job: refused by the first two, each a job of its own, accepted by the third.
    await insertNotifications({ campaignId, rows: [{ email: busy, id: BUSY_ID }, ...Array.from({ length: 30 }, (_, i) => ({ email: `retry-${tag}-${i}@retry.test` }))] });
    refusals.set(busy, 2);
    // A job paces for 2 s at most (half its expiry), so 31 emails at 3 a second take several jobs.
    workers.push(
      startWorker({
        env: { ...TEST_ENV, DATABASE_URL: database.url, SMTP_URL: smtpUrl(), MAIL_DOMAIN_RATES: "retry.test=3", CAMPAIGN_BATCH_EXPIRE_SECONDS: "4", CAMPAIGN_BATCH_RETRY_LIMIT: "1", JOBS_MAINTENANCE_SECONDS: "1" },
        logs: false,
      }),
    );
    await requeueBatch({ campaignId, batch: 0 });

    await waitUntil({ check: async () => (await campaignStats(campaignId))?.status !== "running", timeoutMs: 60_000, what: "the campaign to end" });
    expect(await campaignStats(campaignId)).toMatchObject({ status: "done", queued: 0, sent: 31, failed: 0 });
    const received = arrivals.filter(({ to }) => to.startsWith(`retry-${tag}-`)).map(({ to }) => to);
    expect(received).toHaveLength(31);
    expect(new Set(received).size).toBe(31);
    const { rows: busyRow } = await pool.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM "Notification" WHERE id = $1`, [BUSY_ID]);
    expect(busyRow[0]).toEqual({ status: "sent", attempts: 3 });
    // Every job ended well, none retried by the queue (a retry backs off longer each time, and the last fails the campaign).
    const { rows: sendJobs } = await pool.query<{ state: string; retries: number }>(
      `SELECT state, retry_count AS retries FROM pgboss.job WHERE name = 'campaign-batch' AND data->>'campaignId' = $1`,
      [campaignId],
    );
    expect(sendJobs.length).toBeGreaterThanOrEqual(3);
    expect(sendJobs.every((job) => job.state === "completed" && job.retries === 0)).toBe(true);
    // Several job lifetimes, each waiting out its share of the expiry, by design: 20 s measured, 60 s allowed.
  }, 60_000);
});
