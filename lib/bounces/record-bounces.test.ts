import { randomUUID } from "node:crypto";

import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { BOUNCE_LISTENER_ACTOR, BOUNCE_WINDOW_DAYS, recordBounces, SOFT_BOUNCES_TO_HARD, type TBounceEvent } from "@/lib/bounces/record-bounces";
import { closePgPool } from "@/lib/pg";
import { createCampaign, createDoneCampaigns } from "@/test/factories";

let pool: pg.Pool;

beforeAll(() => {
  pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
});

afterAll(async () => {
  await pool.end();
  await closePgPool();
});

/** Sent email notices, one member each; returns their ids. */
const sentNotices = async (count: number) => {
  const prefix = `record-${randomUUID()}`;
  const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
  const { rows } = await pool.query<{ id: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT $1 || '-' || i, $1 || '-' || i || '@example.eu', 'DE', '1980-01-01' FROM generate_series(1, $2) AS i
       RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT m.id, $3, 'email', 'sent', now() FROM m RETURNING id`,
    [prefix, count, campaign.id],
  );
  return rows.map((row) => row.id);
};

/** One member with `count` sent email notices (of as many campaigns); returns the member and the notices' ids. */
const memberWithNotices = async (count: number) => {
  const externalId = `record-${randomUUID()}`;
  const campaigns = await createDoneCampaigns({ db: pool, count });
  const { rows } = await pool.query<{ id: string; memberId: string }>(
    `WITH m AS (INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'DE', '1980-01-01') RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT m.id, c, 'email', 'sent', now() FROM m, unnest($2::uuid[]) WITH ORDINALITY AS u(c, i) ORDER BY i RETURNING id, "memberId"`,
    [externalId, campaigns],
  );
  return { memberId: rows[0]!.memberId, notices: rows.map((row) => row.id) };
};

const suppressionOf = async (memberId: string) =>
  (await pool.query<{ reason: string; notificationId: string | null }>(`SELECT reason, "notificationId" FROM "EmailSuppression" WHERE "memberId" = $1`, [memberId])).rows[0] ?? null;

const stateOf = async (notificationId: string) =>
  (
    await pool.query<{ softBounces: number; bounceKind: string | null; bounceStatus: string | null; bounceDiagnostic: string | null; reports: number }>(
      `SELECT "softBounces", "bounceKind", "bounceStatus", "bounceDiagnostic",
              (SELECT count(*)::int FROM "BounceReport" r WHERE r."notificationId" = n.id) AS reports
         FROM "Notification" n WHERE id = $1`,
      [notificationId],
    )
  ).rows[0]!;

const soft = (notificationId: string, digest = randomUUID()): TBounceEvent => ({ notificationId, digest, kind: "soft", status: "4.2.2", diagnostic: "452 4.2.2 Mailbox full" });
const rejected = (notificationId: string, digest = randomUUID()): TBounceEvent => ({ notificationId, digest, kind: "rejected", status: "5.7.1", diagnostic: "550 5.7.1 Service unavailable; client host blocked using a blocklist" });
const delayed = (notificationId: string, digest = randomUUID()): TBounceEvent => ({ notificationId, digest, kind: "delayed", status: "4.4.7", diagnostic: "421 4.4.7 Still trying" });
const hard = (notificationId: string, digest = randomUUID()): TBounceEvent => ({ notificationId, digest, kind: "hard", status: "5.1.1", diagnostic: "550 5.1.1 User unknown" });

describe("recordBounces", () => {
  it("counts two different soft reports for one notice in one batch twice, the same report twice once", async () => {
    const [twice, same] = await sentNotices(2);
    const repeated = soft(same!);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(twice!), repeated, soft(twice!), repeated] });
    expect(await stateOf(twice!)).toMatchObject({ softBounces: 2, bounceKind: null, reports: 2 });
    expect(await stateOf(same!)).toMatchObject({ softBounces: 1, bounceKind: null, reports: 1 });
  });

  it("counts nothing for a batch written again, as a second listener or a restarted one would write it", async () => {
    const [notice] = await sentNotices(1);
    const batch = [soft(notice!), soft(notice!)];
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: batch })).toEqual({ updated: 1, bounced: 0, suppressed: 0, pausedDomains: 0 });
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: batch })).toEqual({ updated: 0, bounced: 0, suppressed: 0, pausedDomains: 0 });
    expect(await stateOf(notice!)).toMatchObject({ softBounces: 2, reports: 2 });
  });

  it("counts a report once when two writers store it at the same moment", async () => {
    const notices = await sentNotices(20);
    // Each writer has every notice's report, in its own order: they lock the same rows.
    const batch = notices.map((id) => soft(id));
    await Promise.all([recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: batch }), recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [...batch].reverse() }), recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: batch })]);
    for (const id of notices) expect(await stateOf(id)).toMatchObject({ softBounces: 1, reports: 1 });
  });

  it(`turns the notice into a hard bounce at the ${SOFT_BOUNCES_TO_HARD}rd different soft report, even within one batch`, async () => {
    const [notice] = await sentNotices(1);
    const first = soft(notice!);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [first] });
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [first, soft(notice!), { ...soft(notice!), status: "4.4.1", diagnostic: "421 4.4.1 Connection timed out" }] });
    expect(await stateOf(notice!)).toMatchObject({ softBounces: SOFT_BOUNCES_TO_HARD, bounceKind: "hard", bounceStatus: "4.4.1", bounceDiagnostic: "421 4.4.1 Connection timed out" });
  });

  it("keeps no report of a soft bounce on a notice already hard-bounced or complained of", async () => {
    const [bounced, complained] = await sentNotices(2);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [hard(bounced!), { ...hard(complained!), kind: "complaint", status: "abuse" }] });
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(bounced!), soft(complained!)] })).toEqual({ updated: 0, bounced: 0, suppressed: 0, pausedDomains: 0 });
    expect(await stateOf(bounced!)).toMatchObject({ softBounces: 0, bounceKind: "hard", reports: 0 });
    expect(await stateOf(complained!)).toMatchObject({ softBounces: 0, bounceKind: "complaint", reports: 0 });
  });

  it(`suppresses a member at the ${SOFT_BOUNCES_TO_HARD}rd soft bounce across their notices, one each, and makes the notice that reached it a hard bounce`, async () => {
    const { memberId, notices } = await memberWithNotices(3);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[0]!)] });
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[1]!)] })).toEqual({ updated: 1, bounced: 0, suppressed: 0, pausedDomains: 0 });
    expect(await suppressionOf(memberId)).toBeNull();
    const third = { ...soft(notices[2]!), status: "4.4.1", diagnostic: "421 4.4.1 Connection timed out" };
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [third] })).toEqual({ updated: 1, bounced: 1, suppressed: 1, pausedDomains: 0 });
    expect(await suppressionOf(memberId)).toEqual({ reason: "hard_bounce", notificationId: notices[2] });
    expect(await stateOf(notices[2]!)).toMatchObject({ softBounces: 1, bounceKind: "hard", bounceStatus: "4.4.1", bounceDiagnostic: "421 4.4.1 Connection timed out" });
    for (const id of notices.slice(0, 2)) expect(await stateOf(id)).toMatchObject({ softBounces: 1, bounceKind: null });
  });

  it("adds up a member's soft bounces on different notices within one batch too", async () => {
    const { memberId, notices } = await memberWithNotices(3);
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: notices.map((id) => soft(id)) })).toMatchObject({ updated: 3, suppressed: 1 });
    expect(await suppressionOf(memberId)).toMatchObject({ reason: "hard_bounce" });
  });

  it("does not add up soft bounces of different members, nor count a notice already hard-bounced", async () => {
    const others = await sentNotices(3);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: others.map((id) => soft(id)) });
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: others.map((id) => soft(id)) });
    for (const id of others) expect(await stateOf(id)).toMatchObject({ softBounces: 2, bounceKind: null });
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "EmailSuppression" s JOIN "Notification" n ON n."memberId" = s."memberId" WHERE n.id = ANY($1::uuid[])`, [others]);
    expect(rows[0]!.n).toBe(0);

    // Two soft bounces on a notice that then bounced hard no longer count toward the member's next ones.
    const { memberId, notices } = await memberWithNotices(2);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[0]!), soft(notices[0]!), hard(notices[0]!)] });
    await pool.query(`DELETE FROM "EmailSuppression" WHERE "memberId" = $1`, [memberId]);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[1]!)] });
    expect(await stateOf(notices[1]!)).toMatchObject({ softBounces: 1, bounceKind: null });
    expect(await suppressionOf(memberId)).toBeNull();
  });

  it("lets the first hard bounce in a batch decide, and keeps no report for an unknown notice", async () => {
    const [notice] = await sentNotices(1);
    const unknown = randomUUID();
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notice!), hard(notice!), { ...soft(notice!), kind: "complaint", status: "abuse" }, soft(unknown)] })).toEqual({ updated: 1, bounced: 1, suppressed: 1, pausedDomains: 0 });
    expect(await stateOf(notice!)).toMatchObject({ softBounces: 1, bounceKind: "hard", bounceStatus: "5.1.1", bounceDiagnostic: "550 5.1.1 User unknown" });
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "BounceReport" WHERE "notificationId" = $1`, [unknown]);
    expect(rows[0]!.n).toBe(0);
  });

  it("records a policy refusal as rejected, with its status and diagnostic, and never suppresses", async () => {
    const { memberId, notices } = await memberWithNotices(1);
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [rejected(notices[0]!)] })).toEqual({ updated: 1, bounced: 1, suppressed: 0, pausedDomains: 0 });
    expect(await stateOf(notices[0]!)).toMatchObject({ softBounces: 0, bounceKind: "rejected", bounceStatus: "5.7.1", bounceDiagnostic: expect.stringContaining("blocklist") });
    expect(await suppressionOf(memberId)).toBeNull();
  });

  it("records a delay on the notice and never counts it", async () => {
    const { memberId, notices } = await memberWithNotices(1);
    for (let i = 0; i < SOFT_BOUNCES_TO_HARD + 1; i++) await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [delayed(notices[0]!)] });
    expect(await stateOf(notices[0]!)).toMatchObject({ softBounces: 0, bounceKind: null, reports: 0 });
    const { rows } = await pool.query<{ delayStatus: string; delayedAt: Date | null }>(`SELECT "delayStatus", "delayedAt" FROM "Notification" WHERE id = $1`, [notices[0]]);
    expect(rows[0]).toMatchObject({ delayStatus: "4.4.7", delayedAt: expect.any(Date) });
    expect(await suppressionOf(memberId)).toBeNull();
  });

  it(`counts only the soft bounces of the last ${BOUNCE_WINDOW_DAYS} days toward a suppression`, async () => {
    const { memberId, notices } = await memberWithNotices(3);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[0]!), soft(notices[1]!)] });
    await pool.query(`UPDATE "BounceReport" SET "receivedAt" = now() - make_interval(days => $2 + 1) WHERE "notificationId" = ANY($1::uuid[])`, [notices, BOUNCE_WINDOW_DAYS]);
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[2]!)] })).toEqual({ updated: 1, bounced: 0, suppressed: 0, pausedDomains: 0 });
    expect(await suppressionOf(memberId)).toBeNull();
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [soft(notices[2]!), soft(notices[1]!)] })).toEqual({ updated: 2, bounced: 1, suppressed: 1, pausedDomains: 0 });
  });
  it("records bounces only for a job: the platform is refused, and the notice is left as it was", async () => {
    const [notice] = await sentNotices(1);
    await expect(recordBounces({ actor: PLATFORM_ACTOR, events: [hard(notice!)] })).rejects.toMatchObject({ code: "forbidden" });
    expect(await stateOf(notice!)).toMatchObject({ softBounces: 0, bounceKind: null, reports: 0 });
  });
});
