import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { checkDashboard, recountDashboardSummary } from "@/lib/dashboard/check-dashboard";
import { computeDashboardSummary } from "@/lib/dashboard/compute-dashboard-summary";
import { closePgPool } from "@/lib/pg";
import { createDoneCampaigns } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// The dashboard's counters (migration dashboard_counters) are kept by triggers and a change log
// that the refresh works through. Whatever mix of writes runs, on whatever connections, the
// refreshed summary must be what the full recount says; and the nightly check must find a counter
// that was changed behind the triggers' back. The figures count every row: a database of its own.
let database: { name: string; url: string };
let pool: pg.Pool;
const actor = systemActor("dashboard-summary");

/** A seeded generator (mulberry32): the same mix on every run, FUZZ_SEED for another. */
const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Birth dates around the 18th birthday of today, so "eligible" turns on the cutoff's day.
const NEW_MEMBERS = `
  INSERT INTO "Member" ("externalId", email, country, "birthDate")
  SELECT 'dc-' || u, 'dc-' || u || '@example.eu', (ARRAY['DE', 'FR', 'IE', 'US', 'CH'])[1 + floor(random() * 5)::int],
    (current_date - interval '18 years')::date + (floor(random() * 5)::int - 2) * (CASE WHEN random() < 0.5 THEN 1 ELSE 400 END)
  FROM (SELECT gen_random_uuid() AS u FROM generate_series(1, $1::int)) g`;

const pick = (table: string, where: string, limit = 2) => `SELECT id FROM "${table}" WHERE ${where} ORDER BY random() LIMIT ${limit}`;

const STEPS = [
  // The member sync: new members, a move, a corrected birth date, a member removed (their notices go with them).
  `${NEW_MEMBERS.replace("$1::int", "3")}`,
  `UPDATE "Member" SET country = (ARRAY['DE', 'FR', 'IE', 'US'])[1 + floor(random() * 4)::int] WHERE id IN (${pick("Member", "true")})`,
  `UPDATE "Member" SET "birthDate" = "birthDate" + 1 WHERE id IN (${pick("Member", "true", 3)})`,
  `UPDATE "Member" SET email = 'same-' || id || '@example.eu' WHERE id IN (${pick("Member", "true", 5)})`,
  `DELETE FROM "Member" m WHERE id IN (${pick("Member", `NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = "Member".id)`, 1)})`,
  // Notices: queued (of one of the campaigns) for members without one, sent, failed, seen, clicked, bounced, removed.
  `INSERT INTO "Notification" ("memberId", "campaignId", channel) SELECT id, (${pick("Campaign", "true", 1)}), c::"NotificationChannel" FROM (${pick("Member", "true", 4)}) m CROSS JOIN unnest('{email,in_app}'::text[]) c ON CONFLICT DO NOTHING`,
  `UPDATE "Notification" SET status = 'sent', "sentAt" = now() WHERE id IN (${pick("Notification", "status = 'queued'", 6)})`,
  `UPDATE "Notification" SET status = 'failed' WHERE id IN (${pick("Notification", "channel = 'email' AND status = 'queued'")})`,
  `UPDATE "Notification" SET status = 'seen', "seenAt" = now() WHERE id IN (${pick("Notification", "status IN ('sent', 'queued')", 3)})`,
  `UPDATE "Notification" SET status = 'clicked', "clickedAt" = now() WHERE id IN (${pick("Notification", "status IN ('sent', 'seen')")})`,
  `UPDATE "Notification" SET "bounceKind" = 'hard', "bouncedAt" = now() WHERE id IN (${pick("Notification", "channel = 'email' AND status = 'sent'")})`,
  `UPDATE "Notification" SET attempts = attempts + 1 WHERE id IN (${pick("Notification", "true", 5)})`,
  `DELETE FROM "Notification" WHERE id IN (${pick("Notification", "true", 1)})`,
  // Objections: made by members and without a link, withdrawn, rejected, matched and unmatched.
  `INSERT INTO "Objection" ("memberId", email, country, source) SELECT id, email, country, 'email_link' FROM (${pick("Member", "true", 2).replace("SELECT id", "SELECT id, email, country")}) m ON CONFLICT DO NOTHING`,
  `INSERT INTO "Objection" (email, country, source, "effectiveAt") VALUES ('nobody-' || gen_random_uuid() || '@example.eu', 'AT', 'gpc', now() - floor(random() * 100) * interval '1 day')`,
  `UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = now() WHERE status = 'effective' AND id IN (${pick("Objection", "status = 'effective'", 1)})`,
  `UPDATE "Objection" SET status = 'rejected', "rejectedAt" = now() WHERE status = 'effective' AND id IN (${pick("Objection", "status = 'effective'", 1)})`,
  `UPDATE "Objection" SET "memberId" = (${pick("Member", `NOT EXISTS (SELECT 1 FROM "Objection" o WHERE o."memberId" = "Member".id AND o.status = 'effective')`, 1)}) WHERE id IN (${pick("Objection", `"memberId" IS NULL AND status = 'effective'`, 1)})`,
  `UPDATE "Objection" SET "memberId" = NULL WHERE id IN (${pick("Objection", `"memberId" IS NOT NULL`, 1)})`,
];

beforeAll(async () => {
  database = await createTestDatabase("objection_dashboard_counters");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 5 });
  await pool.query(NEW_MEMBERS, [80]);
  await createDoneCampaigns({ db: pool, count: 5, channels: ["email", "in_app"] });
});

afterAll(async () => {
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
});

describe("the dashboard's counters", () => {
  it("give the summary a full recount gives, after a random mix of syncs, sends, seen and clicked notices, bounces, objections, withdrawals, rejections, matches and unmatches on three connections, with refreshes in between", async () => {
    const random = seededRandom(Number(process.env.FUZZ_SEED ?? 20261206));
    const plans = Array.from({ length: 3 }, () => Array.from({ length: 70 }, () => STEPS[Math.floor(random() * STEPS.length)]!));
    // Two connections may race for the same member's one live objection (23505), a member removed
    // under a new row (23503), or two statements updating the same random notices in opposite
    // orders (40P01, on the notices' own rows): the loser's statement is rolled back whole, its
    // triggers' counts with it, as the app's would be.
    const run = (step: string) =>
      pool.query(step).catch((error: { code?: string }) => {
        if (!["23505", "23503", "40P01"].includes(error.code ?? "")) throw error;
      });
    const writers = plans.map(async (plan) => {
      for (const step of plan) await run(step);
    });
    const refresher = (async () => {
      for (let refresh = 0; refresh < 6; refresh++) await computeDashboardSummary({ actor });
    })();
    await Promise.all([...writers, refresher]);
    // The statements' picks are random() in SQL, so the mix alone may leave a figure at 0: every
    // step once more, in order (notices before they are seen and clicked, objections before they are
    // withdrawn and rejected), so that each figure below counts something.
    for (const step of STEPS) await run(step);

    const now = new Date();
    const { data } = await computeDashboardSummary({ actor, now });
    const recounted = await recountDashboardSummary({ actor, now });
    expect(data).toEqual(recounted);
    expect(data.totals).toMatchObject({ notified: expect.any(Number), objectedAfterNotice: expect.any(Number) });
    expect(Math.min(data.totals.notified, data.totals.seen, data.totals.clicked, data.totals.objected, data.totals.withdrawn, data.totals.rejected)).toBeGreaterThan(0);
    expect(await checkDashboard({ actor, now })).toEqual([]);

    // Eligibility moves with the day, not with a write: a year on, the counters still agree.
    const later = new Date(now.getTime() + 400 * 86_400_000);
    expect((await computeDashboardSummary({ actor, now: later })).data).toEqual(await recountDashboardSummary({ actor, now: later }));
  });

  it("does not take changes the refresh has not reached yet for drift", async () => {
    await pool.query(`UPDATE "Notification" SET status = 'seen', "seenAt" = now() WHERE id IN (${pick("Notification", "status = 'queued'", 5)})`);
    await pool.query(`UPDATE "Member" SET country = 'FR' WHERE id IN (${pick("Member", `country = 'DE' AND id IN (SELECT "memberId" FROM "DashboardMemberFlags")`, 3)})`);
    expect(Number((await pool.query(`SELECT count(*) FROM "DashboardMemberChange"`)).rows[0].count)).toBeGreaterThan(0);
    expect(await checkDashboard({ actor })).toEqual([]);
  });

  it("finds drift: rows written with the triggers off, and a counter changed by hand", async () => {
    await computeDashboardSummary({ actor });
    const client = await pool.connect();
    try {
      await client.query(`SET session_replication_role = replica`);
      await client.query(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ('unseen', 'unseen@example.eu', 'IE', '1980-01-01')`);
      await client.query(`INSERT INTO "Objection" (email, country, source) VALUES ('unseen-objection@example.eu', 'NL', 'prior')`);
    } finally {
      await client.query(`RESET session_replication_role`);
      client.release();
    }
    await pool.query(`UPDATE "DashboardNoticeCounter" SET seen = seen + 2 WHERE country = 'FR'`);

    const drift = await checkDashboard({ actor });
    const find = (figure: string, country: string | null) => drift.find((row) => row.figure === figure && row.country === country);
    expect(find("members", "IE")).toMatchObject({ recounted: expect.any(Number) });
    expect(find("members", "IE")!.recounted - find("members", "IE")!.counted).toBe(1);
    expect(find("eligible", "IE")!.recounted - find("eligible", "IE")!.counted).toBe(1);
    expect(find("objections.effective.prior", "NL")).toMatchObject({ counted: 0, recounted: 1 });
    expect(find("seen", "FR")!.counted - find("seen", "FR")!.recounted).toBe(2);
    const today = new Date().toISOString().slice(0, 10);
    expect(find(`objectionsPerDay.${today}`, null)).toBeDefined();
    expect(drift).toHaveLength(5);
  });

  it("are counted from the existing rows by the migration, so an existing install starts with no drift", async () => {
    expect((await checkDashboard({ actor })).length).toBeGreaterThan(0);
    const dir = readdirSync("prisma/migrations").find((name) => name.endsWith("_dashboard_counters"))!;
    const sql = readFileSync(path.join("prisma/migrations", dir, "migration.sql"), "utf8");
    const backfill = sql.slice(sql.indexOf("-- The rows so far, counted once."));
    await pool.query(
      `TRUNCATE "DashboardObjectionCounter", "DashboardObjectionDay", "DashboardMemberCounter", "DashboardBirthCounter", "DashboardMemberChange", "DashboardMemberFlags", "DashboardNoticeCounter"`,
    );
    await pool.query(backfill);
    expect(await checkDashboard({ actor })).toEqual([]);
    const now = new Date();
    expect((await computeDashboardSummary({ actor, now })).data).toEqual(await recountDashboardSummary({ actor, now }));
  });
});
