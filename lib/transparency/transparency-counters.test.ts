import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { checkCounters } from "@/lib/campaigns/check-counters";
import { foldTransparencyShards } from "@/lib/transparency/fold-transparency-shards";
import { closeTestDatabase } from "@/test/close-test-database";
import { createCampaign, createMember, createNotification, type TQueryable } from "@/test/factories";
import { createTestDatabase } from "@/test/test-database";
import { TEST_ENV } from "@/test/test-env";

// The transparency report's counters (migration transparency_counters) move in the transaction that
// changes a notice or an objection, by country and month. Each test uses countries of its own.
let database: { name: string; url: string };
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase("objection_transparency");
  Object.assign(process.env, TEST_ENV, { DATABASE_URL: database.url });
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
});

afterAll(async () => {
  await closeTestDatabase({ database, clients: [pool] });
});

type TFigures = { noticesSent: number; reached: number; objections: number; withdrawals: number };

const figures = async (db: TQueryable, country: string, month: string): Promise<TFigures> =>
  (
    await db.query<TFigures>(
      `SELECT coalesce(sum("noticesSent"), 0)::int AS "noticesSent", coalesce(sum(reached), 0)::int AS reached,
         coalesce(sum(objections), 0)::int AS objections, coalesce(sum(withdrawals), 0)::int AS withdrawals
       FROM "TransparencyCounter" WHERE country = $1 AND month = $2::date`,
      [country, `${month}-01`],
    )
  ).rows[0]!;

const ZERO = { noticesSent: 0, reached: 0, objections: 0, withdrawals: 0 };

const newCampaign = async () => (await createCampaign({ db: pool, channels: ["email", "in_app"], status: "running", launchedAt: "now", audienceAt: "now" })).id;

const send = (db: TQueryable, id: string, sentAt: string) => db.query(`UPDATE "Notification" SET status = 'sent', "sentAt" = $2 WHERE id = $1`, [id, sentAt]);
const see = (db: TQueryable, id: string, seenAt: string) => db.query(`UPDATE "Notification" SET status = 'seen', "seenAt" = $2 WHERE id = $1`, [id, seenAt]);
const bounce = (db: TQueryable, id: string) => db.query(`UPDATE "Notification" SET "bounceKind" = 'hard', "bouncedAt" = now() WHERE id = $1`, [id]);

describe("the transparency counters", () => {
  it("count a notice sent in the month of its sentAt, under its member's country, in the transaction that sends it", async () => {
    const member = await createMember({ db: pool, country: "AT" });
    const campaignId = await newCampaign();
    const email = await createNotification({ db: pool, memberId: member.id, campaignId, channel: "email", status: "queued" });
    const inApp = await createNotification({ db: pool, memberId: member.id, campaignId, channel: "in_app", status: "queued" });
    const failed = await createNotification({ db: pool, memberId: member.id, channel: "email", status: "queued" });
    expect(await figures(pool, "AT", "2026-11")).toEqual(ZERO);

    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await send(client, email.id, "2026-11-30T23:30:00Z");
      expect(await figures(client, "AT", "2026-11")).toEqual({ ...ZERO, noticesSent: 1, reached: 1 });
      expect(await figures(pool, "AT", "2026-11")).toEqual(ZERO);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
    expect(await figures(pool, "AT", "2026-11")).toEqual(ZERO);

    await send(pool, email.id, "2026-11-30T23:30:00Z");
    await see(pool, email.id, "2026-12-01T08:00:00Z");
    await send(pool, inApp.id, "2026-12-01T00:30:00Z");
    await pool.query(`UPDATE "Notification" SET status = 'failed', attempts = 3 WHERE id = $1`, [failed.id]);
    await pool.query(`UPDATE "Notification" SET attempts = attempts + 1 WHERE "memberId" = $1`, [member.id]);
    expect(await figures(pool, "AT", "2026-11")).toEqual({ ...ZERO, noticesSent: 1, reached: 1 });
    // The in-app notice was sent in December but not seen: sent, not (yet) reaching anyone.
    expect(await figures(pool, "AT", "2026-12")).toEqual({ ...ZERO, noticesSent: 1 });
  });

  it("count a member reached once per campaign, in the month of their earliest reaching notice, and move them when that notice bounces", async () => {
    const member = await createMember({ db: pool, country: "BE" });
    const [first, second] = [await newCampaign(), await newCampaign()];
    const email = await createNotification({ db: pool, memberId: member.id, campaignId: first, channel: "email", status: "queued" });
    const inApp = await createNotification({ db: pool, memberId: member.id, campaignId: first, channel: "in_app", status: "queued" });
    await send(pool, email.id, "2026-11-10T10:00:00Z");
    await send(pool, inApp.id, "2026-11-10T10:00:00Z");
    await see(pool, inApp.id, "2026-12-03T09:00:00Z");
    expect(await figures(pool, "BE", "2026-11")).toEqual({ ...ZERO, noticesSent: 2, reached: 1 });
    expect((await figures(pool, "BE", "2026-12")).reached).toBe(0);

    await bounce(pool, email.id);
    expect(await figures(pool, "BE", "2026-11")).toEqual({ ...ZERO, noticesSent: 2, reached: 0 });
    expect((await figures(pool, "BE", "2026-12")).reached).toBe(1);

    const again = await createNotification({ db: pool, memberId: member.id, campaignId: second, channel: "email", status: "queued" });
    await send(pool, again.id, "2026-12-05T10:00:00Z");
    expect(await figures(pool, "BE", "2026-12")).toEqual({ ...ZERO, noticesSent: 1, reached: 2 });
  });

  it("count a member reached once when their two channels change at once on two connections", async () => {
    const member = await createMember({ db: pool, country: "BG" });
    const campaignId = await newCampaign();
    const email = await createNotification({ db: pool, memberId: member.id, campaignId, channel: "email", status: "queued" });
    const inApp = await createNotification({ db: pool, memberId: member.id, campaignId, channel: "in_app", status: "queued" });
    await send(pool, email.id, "2026-11-10T10:00:00Z");
    await send(pool, inApp.id, "2026-11-10T10:00:00Z");

    // The bounce takes the member's lock first; the in-app notice being seen waits for it, then counts from what it committed.
    const bouncer = await pool.connect();
    const seer = await pool.connect();
    try {
      await bouncer.query("BEGIN");
      await bounce(bouncer, email.id);
      await seer.query("BEGIN");
      const seen = see(seer, inApp.id, "2026-12-03T09:00:00Z").then(() => seer.query("COMMIT"));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await bouncer.query("COMMIT");
      await seen;
    } finally {
      bouncer.release();
      seer.release();
    }
    expect((await figures(pool, "BG", "2026-11")).reached).toBe(0);
    expect((await figures(pool, "BG", "2026-12")).reached).toBe(1);
  });

  it("count objections in the month they took effect and withdrawals in the month they were withdrawn, under the objection's country", async () => {
    const member = await createMember({ db: pool, country: "CY" });
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(`INSERT INTO "Objection" (email, country, source, "effectiveAt") VALUES ('x@example.eu', 'CY', 'direct', '2026-10-15T00:00:00Z')`);
      expect(await figures(client, "CY", "2026-10")).toEqual({ ...ZERO, objections: 1 });
      expect(await figures(pool, "CY", "2026-10")).toEqual(ZERO);
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }

    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt") VALUES ($1, $2, 'CY', 'email_link', '2026-10-31T23:59:59Z') RETURNING id`,
      [member.id, member.email],
    );
    await pool.query(`INSERT INTO "Objection" (email, country, source, "effectiveAt") VALUES ('y@example.eu', 'CY', 'direct', '2026-11-01T00:00:00Z')`);
    await pool.query(`UPDATE "Objection" SET reason = 'mine', "spamAt" = now() WHERE id = $1`, [rows[0]!.id]);
    expect(await figures(pool, "CY", "2026-10")).toEqual({ ...ZERO, objections: 1 });
    expect(await figures(pool, "CY", "2026-11")).toEqual({ ...ZERO, objections: 1 });

    await pool.query(`UPDATE "Objection" SET status = 'withdrawn', "withdrawnAt" = '2026-12-02T12:00:00Z' WHERE id = $1`, [rows[0]!.id]);
    expect(await figures(pool, "CY", "2026-10")).toEqual({ ...ZERO, objections: 1 });
    expect(await figures(pool, "CY", "2026-12")).toEqual({ ...ZERO, withdrawals: 1 });

    await pool.query(`UPDATE "Objection" SET country = 'CZ' WHERE email = 'y@example.eu'`);
    expect(await figures(pool, "CY", "2026-11")).toEqual(ZERO);
    expect(await figures(pool, "CZ", "2026-11")).toEqual({ ...ZERO, objections: 1 });
  });

  it("agree with a recount in the nightly check, which finds an objection counter changed behind the triggers' back", async () => {
    const actor = systemActor("counters-check");
    expect((await checkCounters({ actor })).filter(({ figure }) => figure.startsWith("transparency"))).toEqual([]);
    await pool.query(`INSERT INTO "TransparencyCounter" (country, month, shard, objections) VALUES ('CY', '2026-10-01', 99, 1)`);
    expect((await checkCounters({ actor })).filter(({ figure }) => figure.startsWith("transparency"))).toEqual([
      { campaignId: null, figure: "transparency_objections_CY_2026-10", counted: 2, recounted: 1 },
    ]);
    await pool.query(`DELETE FROM "TransparencyCounter" WHERE shard = 99`);
  });

  it("fold past months' shards into one row a key at night, keeping every figure, and leave the current month's", async () => {
    const { rows } = await pool.query<{ current: string; past: string }>(
      `SELECT to_char(transparency_month(now()), 'YYYY-MM-DD') AS current, to_char(transparency_month(now()) - interval '1 month', 'YYYY-MM-DD') AS past`,
    );
    const { current, past } = rows[0]!;
    await pool.query(
      `INSERT INTO "TransparencyCounter" (country, month, shard, "noticesSent", reached, objections, withdrawals) VALUES
         ('DK', $1, 0, 1, 2, 3, 4), ('DK', $1, 3, 10, 20, 30, 40), ('DK', $1, 7, 100, 200, 300, 400), ('DK', $2, 5, 1, 1, 1, 1), ('DK', $2, 9, 1, 1, 1, 1)`,
      [past, current],
    );
    const shardsOf = async (month: string) =>
      (await pool.query<{ shard: number }>(`SELECT shard FROM "TransparencyCounter" WHERE country = 'DK' AND month = $1 ORDER BY shard`, [month])).rows.map(({ shard }) => shard);

    expect(await foldTransparencyShards({ actor: systemActor("counters-check") })).toBeGreaterThanOrEqual(2);
    expect(await shardsOf(past)).toEqual([0]);
    expect(await figures(pool, "DK", past.slice(0, 7))).toEqual({ noticesSent: 111, reached: 222, objections: 333, withdrawals: 444 });
    expect(await shardsOf(current)).toEqual([5, 9]);
    expect(await figures(pool, "DK", current.slice(0, 7))).toEqual({ noticesSent: 2, reached: 2, objections: 2, withdrawals: 2 });
  });
});
