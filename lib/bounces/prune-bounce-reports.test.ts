import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { BOUNCE_REPORT_RETENTION_DAYS, pruneBounceReports } from "@/lib/bounces/prune-bounce-reports";
import { BOUNCE_REPORTS_PRUNE_CRON, startBounceReportsPrune } from "@/lib/bounces/start-bounce-reports-prune";
import { jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { createCampaign } from "@/test/factories";

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});

afterAll(async () => {
  await stopJobs();
  await pool.end();
  await closePgPool();
});

/** A sent email notice with one kept soft report received `ageDays` days ago for each age given; returns the notice's id. */
const noticeWithReports = async (ageDays: number[]) => {
  const externalId = `prune-${randomUUID()}`;
  const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
  const { rows } = await pool.query<{ id: string }>(
    `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01') RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "softBounces") SELECT id, $3, 'email', 'sent', now(), $2 FROM m RETURNING id`,
    [externalId, ageDays.length, campaign.id],
  );
  const id = rows[0]!.id;
  await pool.query(
    `INSERT INTO "BounceReport" ("campaignId", "notificationId", digest, "receivedAt")
     SELECT $3, $1, gen_random_uuid()::text, now() - age * interval '1 day' FROM unnest($2::float8[]) AS age`,
    [id, ageDays, campaign.id],
  );
  return id;
};

const reportAges = async (notificationId: string) =>
  (
    await pool.query<{ days: number }>(`SELECT round(extract(epoch FROM now() - "receivedAt") / 86400)::int AS days FROM "BounceReport" WHERE "notificationId" = $1 ORDER BY 1`, [notificationId])
  ).rows.map((row) => row.days);

describe("pruneBounceReports", () => {
  it(`deletes the reports kept over ${BOUNCE_REPORT_RETENTION_DAYS} days, in batches, and only those; the notices keep their counts`, async () => {
    const old = BOUNCE_REPORT_RETENTION_DAYS + 1;
    const recent = BOUNCE_REPORT_RETENTION_DAYS - 1;
    const mixed = await noticeWithReports([old, old + 100, recent, 0]);
    const allOld = await noticeWithReports([old, old, old]);
    const fresh = await noticeWithReports([recent, 0]);

    expect(await pruneBounceReports({ actor: systemActor(QUEUES.bounceReportsPrune.name), batchSize: 2 })).toBeGreaterThanOrEqual(5);
    expect(await reportAges(mixed)).toEqual([0, recent]);
    expect(await reportAges(allOld)).toEqual([]);
    expect(await reportAges(fresh)).toEqual([0, recent]);
    const { rows } = await pool.query<{ softBounces: number }>(`SELECT "softBounces" FROM "Notification" WHERE id = ANY($1::uuid[]) ORDER BY "softBounces"`, [[mixed, allOld]]);
    expect(rows.map((row) => row.softBounces)).toEqual([3, 4]);
    expect(await pruneBounceReports({ actor: systemActor(QUEUES.bounceReportsPrune.name), batchSize: 2 })).toBe(0);
  });

  it("runs in the worker as a daily job, bounce-reports-prune", async () => {
    const boss = await jobs({ worker: true });
    await startBounceReportsPrune(boss);
    expect(await boss.getSchedules()).toContainEqual(expect.objectContaining({ name: QUEUES.bounceReportsPrune.name, cron: BOUNCE_REPORTS_PRUNE_CRON, options: expect.objectContaining({ tz: "UTC" }) }));

    const notice = await noticeWithReports([BOUNCE_REPORT_RETENTION_DAYS + 2, 1]);
    await boss.send(QUEUES.bounceReportsPrune.name, {});
    await expect.poll(() => reportAges(notice), { timeout: 15_000 }).toEqual([1]);
  });
});
