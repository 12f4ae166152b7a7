import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { recountDashboardSummary } from "@/lib/dashboard/check-dashboard";
import { computeDashboardSummary } from "@/lib/dashboard/compute-dashboard-summary";
import { EXPORT_STALE_AFTER_MS, exportWarning } from "@/lib/dashboard/export-warning";
import { readDashboard, SUMMARY_STALE_AFTER_MS } from "@/lib/dashboard/read-dashboard";
import { jobs, QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool } from "@/lib/pg";
import { createCampaign } from "@/test/factories";
import { createTestDatabase, dropTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// The summary counts every row in the database, so this file has a database of its own.
let database: { name: string; url: string };
let pool: pg.Pool;

const NOW = new Date("2026-11-29T12:00:00.000Z");
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
const viewer = { kind: "admin" as const, id: "00000000-0000-4000-8000-000000000001", role: "viewer" as const };

const member = async ({ key, country, birthDate }: { key: string; country: string; birthDate: string }) =>
  (
    await pool.query<{ id: string }>(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $2, $3, $4) RETURNING id`, [
      `dash-${key}`,
      `${key}@example.eu`,
      country,
      birthDate,
    ])
  ).rows[0]!.id;

const notification = async ({ memberId, channel, status, seen = false, clicked = false, campaignId }: { memberId: string; channel: "email" | "in_app"; status: string; seen?: boolean; clicked?: boolean; campaignId: string }) =>
  (
    await pool.query<{ id: string }>(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "seenAt", "clickedAt")
       VALUES ($1, $2, $3, $4::"NotificationStatus", CASE WHEN $4::text IN ('sent', 'seen', 'clicked') THEN $5::timestamptz END, CASE WHEN $6 THEN $5::timestamptz END, CASE WHEN $7 THEN $5::timestamptz END)
       RETURNING id`,
      [memberId, campaignId, channel, status, daysAgo(5), seen, clicked],
    )
  ).rows[0]!.id;

const objection = async ({ memberId = null, email, country, source, status = "effective", effectiveAt }: { memberId?: string | null; email: string; country: string; source: string; status?: string; effectiveAt: Date }) => {
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source, status, "effectiveAt", "withdrawnAt", "rejectedAt")
     VALUES ($1, $2, $3, $4, $5::"ObjectionStatus", $6, CASE WHEN $5::text = 'withdrawn' THEN $6::timestamptz + interval '1 hour' END, CASE WHEN $5::text = 'rejected' THEN $6::timestamptz + interval '1 hour' END)`,
    [memberId, email, country, source, status, effectiveAt],
  );
};

beforeAll(async () => {
  database = await createTestDatabase("objection_dashboard");
  // Before anything calls env() or pgPool(): both read process.env once.
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  // The web side of pg-boss (no cron, no workers), as the page has it: it creates the queues.
  await jobs();

  // Adults (eligible when in the EEA), a minor, someone 18 today, someone outside the EEA.
  const de = await member({ key: "de", country: "DE", birthDate: "1980-05-01" });
  const fr = await member({ key: "fr", country: "FR", birthDate: "1990-01-01" });
  const ie = await member({ key: "ie", country: "IE", birthDate: "1970-12-31" });
  const deQueued = await member({ key: "de-queued", country: "DE", birthDate: "1985-03-03" });
  await member({ key: "de-minor", country: "DE", birthDate: "2008-11-30" });
  await member({ key: "de-18-today", country: "DE", birthDate: "2008-11-29" });
  const us = await member({ key: "us", country: "US", birthDate: "1975-06-06" });
  const pl = await member({ key: "pl", country: "PL", birthDate: "1995-02-02" });
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, status) VALUES ('dash', '{email,in_app}', 'done') RETURNING id`);
  const campaignId = rows[0]!.id;
  const another = (await createCampaign({ db: pool, channels: ["email"], status: "done" })).id;

  // DE: both channels, the in-app notice seen.
  await notification({ memberId: de, channel: "email", status: "sent", campaignId });
  await notification({ memberId: de, channel: "in_app", status: "seen", seen: true, campaignId });
  // DE is also told by a notice of another campaign: still one member.
  await notification({ memberId: de, channel: "email", status: "sent", campaignId: another });
  // FR: email opened and clicked.
  await notification({ memberId: fr, channel: "email", status: "clicked", seen: true, clicked: true, campaignId });
  // IE: in-app only.
  await notification({ memberId: ie, channel: "in_app", status: "sent", campaignId });
  // Not told: an email still queued, and one that failed.
  await notification({ memberId: deQueued, channel: "email", status: "queued", campaignId });
  await notification({ memberId: deQueued, channel: "email", status: "failed", campaignId: another });
  // Outside the EEA but told (a platform-made notice): notified, not eligible.
  await notification({ memberId: us, channel: "email", status: "sent", campaignId: another });
  // PL clicked the email's link, which no app reports as seen: a click implies the notice was seen.
  await notification({ memberId: pl, channel: "email", status: "clicked", clicked: true, campaignId });

  await objection({ memberId: de, email: "de@example.eu", country: "DE", source: "email_link", effectiveAt: daysAgo(0) });
  await objection({ memberId: fr, email: "fr@example.eu", country: "FR", source: "email_link", status: "withdrawn", effectiveAt: daysAgo(1) });
  await objection({ memberId: fr, email: "fr@example.eu", country: "FR", source: "in_app_link", effectiveAt: daysAgo(1) });
  await objection({ memberId: us, email: "us@example.eu", country: "US", source: "direct", effectiveAt: daysAgo(3) });
  await objection({ memberId: pl, email: "pl@example.eu", country: "PL", source: "in_app_link", status: "rejected", effectiveAt: daysAgo(3) });
  // Unmatched, and an earlier objection from before the 90 days.
  await objection({ email: "nobody@example.eu", country: "AT", source: "gpc", effectiveAt: daysAgo(89) });
  await objection({ email: "earlier@example.eu", country: "NL", source: "prior", effectiveAt: daysAgo(90) });
});

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await pool.end();
  await dropTestDatabase(database.name);
});

describe("computeDashboardSummary", () => {
  it("counts every figure from the counters and stores the one summary row", async () => {
    const { data, computedAt } = await computeDashboardSummary({ actor: systemActor(QUEUES.dashboardSummary.name), now: NOW });

    expect(data.totals).toEqual({
      members: 8,
      // DE ×4 (adult, queued, 18 today; not the minor), FR, IE, PL; not US.
      eligible: 6,
      notified: 5,
      notifiedByEmail: 4,
      notifiedInApp: 2,
      // DE and FR saw a notice; PL only clicked one, and counts as having seen it.
      seen: 3,
      clicked: 2,
      objected: 5,
      withdrawn: 1,
      rejected: 1,
      // DE, FR and US were told and object now; PL's was rejected.
      objectedAfterNotice: 3,
    });
    expect(data.channels).toEqual({ emailOnly: 3, inAppOnly: 1, both: 1 });
    // The counters say what the full recount (the nightly check's) says.
    expect(data).toEqual(await recountDashboardSummary({ actor: systemActor(QUEUES.countersCheck.name), now: NOW }));

    expect(data.objectionsPerDay).toHaveLength(90);
    expect(data.objectionsPerDay[0]).toEqual({ day: "2026-09-01", objections: 1 });
    expect(data.objectionsPerDay.at(-1)).toEqual({ day: "2026-11-29", objections: 1 });
    expect(data.objectionsPerDay.find((row) => row.day === "2026-11-28")).toEqual({ day: "2026-11-28", objections: 2 });
    expect(data.objectionsPerDay.find((row) => row.day === "2026-11-26")).toEqual({ day: "2026-11-26", objections: 2 });
    expect(data.objectionsPerDay.reduce((total, row) => total + row.objections, 0)).toBe(6);

    expect(data.sources).toEqual([
      { source: "email_link", effective: 1, withdrawn: 1, rejected: 0 },
      { source: "in_app_link", effective: 1, withdrawn: 0, rejected: 1 },
      { source: "direct", effective: 1, withdrawn: 0, rejected: 0 },
      { source: "gpc", effective: 1, withdrawn: 0, rejected: 0 },
      { source: "prior", effective: 1, withdrawn: 0, rejected: 0 },
    ]);

    expect(data.countries).toEqual([
      { country: "AT", members: 0, eligible: 0, notified: 0, objected: 1, withdrawn: 0, rejected: 0 },
      { country: "DE", members: 4, eligible: 3, notified: 1, objected: 1, withdrawn: 0, rejected: 0 },
      { country: "FR", members: 1, eligible: 1, notified: 1, objected: 1, withdrawn: 1, rejected: 0 },
      { country: "IE", members: 1, eligible: 1, notified: 1, objected: 0, withdrawn: 0, rejected: 0 },
      { country: "NL", members: 0, eligible: 0, notified: 0, objected: 1, withdrawn: 0, rejected: 0 },
      { country: "PL", members: 1, eligible: 1, notified: 1, objected: 0, withdrawn: 0, rejected: 1 },
      { country: "US", members: 1, eligible: 0, notified: 1, objected: 1, withdrawn: 0, rejected: 0 },
    ]);

    const stored = await pool.query<{ id: number; data: unknown; computedAt: Date; durationMs: number }>(`SELECT * FROM "DashboardSummary"`);
    expect(stored.rows).toHaveLength(1);
    expect(stored.rows[0]!.data).toEqual(data);
    expect(stored.rows[0]!.computedAt).toEqual(computedAt);
    expect(stored.rows[0]!.durationMs).toBeGreaterThanOrEqual(0);

    // A second run replaces the row.
    await computeDashboardSummary({ actor: systemActor(QUEUES.dashboardSummary.name), now: new Date(NOW.getTime() + 1000) });
    expect((await pool.query(`SELECT count(*)::int AS n FROM "DashboardSummary"`)).rows[0].n).toBe(1);
  });
});

describe("exportWarning", () => {
  it("warns when the last run failed, when the newest success is over 26 hours old, and before any export", () => {
    const fresh = new Date(NOW.getTime() - EXPORT_STALE_AFTER_MS);
    const old = new Date(NOW.getTime() - EXPORT_STALE_AFTER_MS - 1);
    expect(exportWarning({ latest: { status: "succeeded" }, lastSucceededAt: fresh, now: NOW })).toBeNull();
    expect(exportWarning({ latest: { status: "succeeded" }, lastSucceededAt: old, now: NOW })?.kind).toBe("stale");
    expect(exportWarning({ latest: { status: "failed" }, lastSucceededAt: fresh, now: NOW })?.kind).toBe("failed");
    // A run in progress does not make an old export fresh, nor is it a fault of its own.
    expect(exportWarning({ latest: { status: "running" }, lastSucceededAt: old, now: NOW })?.kind).toBe("stale");
    expect(exportWarning({ latest: { status: "running" }, lastSucceededAt: null, now: NOW })).toBeNull();
    expect(exportWarning({ latest: null, lastSucceededAt: null, now: NOW })?.kind).toBe("none_yet");
  });
});

describe("readDashboard", () => {
  const queuedRefreshes = async () =>
    (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'dashboard-summary' AND state = 'created'`)).rows[0]!.n;

  const run = async ({ status, cutoff, files = null, acknowledgedAt = null }: { status: string; cutoff: Date; files?: unknown; acknowledgedAt?: Date | null }) => {
    await pool.query(
      `INSERT INTO "ExportRun" (cutoff, format, location, status, files, "startedAt", "finishedAt", "acknowledgedAt") VALUES ($1, 'csv', '/tmp/x', $2, $3, $1, $1, $4)`,
      [cutoff, status, files === null ? null : JSON.stringify(files), acknowledgedAt],
    );
  };
  const file = (kind: string, rows: number) => ({ name: `${kind}.csv`, kind, rows, bytes: 10, sha256: "0".repeat(64) });

  it("shows the stored figures, asks for fresh ones once when they are old, and reads the last export live", async () => {
    await computeDashboardSummary({ actor: systemActor(QUEUES.dashboardSummary.name), now: NOW });
    const current = await readDashboard({ actor: viewer, now: new Date(NOW.getTime() + 60_000) });
    expect(current.summary?.data.totals.objected).toBe(5);
    expect(current.refreshing).toBe(false);
    expect(current.lastExport).toBeNull();
    expect(current.exportWarning?.kind).toBe("none_yet");
    expect(await queuedRefreshes()).toBe(0);

    const later = new Date(NOW.getTime() + SUMMARY_STALE_AFTER_MS + 1);
    const stale = await readDashboard({ actor: viewer, now: later });
    expect(stale.refreshing).toBe(true);
    expect(stale.summary?.data.totals.objected).toBe(5);
    // Repeated views while a refresh waits add nothing.
    await readDashboard({ actor: viewer, now: later });
    await readDashboard({ actor: viewer, now: later });
    expect(await queuedRefreshes()).toBe(1);

    await run({ status: "succeeded", cutoff: new Date(NOW.getTime() - 2 * HOUR_MS), files: [file("snapshot", 1234), file("delta", 56)], acknowledgedAt: NOW });
    const succeeded = await readDashboard({ actor: viewer, now: NOW });
    expect(succeeded.lastExport).toMatchObject({ status: "succeeded", rows: 1234, deltaRows: 56, acknowledgedAt: NOW });
    expect(succeeded.exportWarning).toBeNull();

    // The run was cut 2 hours before NOW: it turns stale 24 hours after NOW.
    expect((await readDashboard({ actor: viewer, now: new Date(NOW.getTime() + 24 * HOUR_MS - 60_000) })).exportWarning).toBeNull();
    expect((await readDashboard({ actor: viewer, now: new Date(NOW.getTime() + 24 * HOUR_MS + 60_000) })).exportWarning?.kind).toBe("stale");

    await run({ status: "failed", cutoff: new Date(NOW.getTime() - HOUR_MS) });
    const failed = await readDashboard({ actor: viewer, now: NOW });
    expect(failed.lastExport).toMatchObject({ status: "failed", rows: null, acknowledgedAt: null });
    expect(failed.exportWarning?.kind).toBe("failed");
  });

  it("refuses a caller without a role it knows", async () => {
    await expect(readDashboard({ actor: { kind: "admin", id: viewer.id, role: "nobody" as "viewer" } })).rejects.toThrow();
  });
});
