import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { audiencePreview } from "@/lib/campaigns/audience-preview";
import { computeAudience } from "@/lib/campaigns/compute-audience";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { launchCampaign } from "@/lib/campaigns/launch-campaign";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";
import { createAdmin, createCampaign as campaignRow, createMember } from "@/test/factories";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

// Malta: no other test in this file's database makes members there.
const COUNTRY = "MT";

type TNotice = { campaignId: string; channel: "email" | "in_app"; status: string; seen?: boolean; bounce?: "hard" };

describe("a campaign to the members no earlier campaign reached yet", () => {
  it("counts, before launch, how many of the audience were already reached, and leaves exactly those out when asked", async () => {
    const pool = pgPool();
    const admin = await createAdmin({ db: pool, role: "admin" });
    const earlier = (await campaignRow({ db: pool, status: "done", channels: ["email", "in_app"] })).id;
    const running = (await campaignRow({ db: pool, status: "running" })).id;
    const another = (await campaignRow({ db: pool, status: "done" })).id;
    const member = async (notices: TNotice[]) => {
      const { id } = await createMember({ db: pool, country: COUNTRY, externalId: `not-yet-${randomUUID()}` });
      for (const notice of notices) {
        await pool.query(
          `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "seenAt", "bounceKind", "bouncedAt")
           VALUES ($1, $2, $3::"NotificationChannel", $4::"NotificationStatus", CASE WHEN $4 <> 'queued' THEN now() END, CASE WHEN $5 THEN now() END, $6::"NotificationBounce", CASE WHEN $6 IS NOT NULL THEN now() END)`,
          [id, notice.campaignId, notice.channel, notice.status, notice.seen ?? false, notice.bounce ?? null],
        );
      }
      return id;
    };
    const members = {
      reachedByEmail: await member([{ campaignId: earlier, channel: "email", status: "sent" }]),
      sawInApp: await member([{ campaignId: earlier, channel: "in_app", status: "seen", seen: true }]),
      // Told by another campaign, done (as the notices once made outside any campaign now are): reached too.
      toldByAnotherCampaign: await member([{ campaignId: another, channel: "email", status: "sent" }]),
      // An email of a campaign still sending will reach them: not told twice either.
      queuedElsewhere: await member([{ campaignId: running, channel: "email", status: "queued" }]),
      unseenInApp: await member([{ campaignId: earlier, channel: "in_app", status: "sent" }]),
      bounced: await member([{ campaignId: earlier, channel: "email", status: "sent", bounce: "hard" }]),
      failed: await member([{ campaignId: earlier, channel: "email", status: "failed" }]),
      neverTold: await member([]),
    };

    const preview = await audiencePreview({ actor: admin, countries: [COUNTRY] });
    expect(preview).toEqual({ count: 8, alreadyReached: 4, anyEarlierReach: true });

    // Created as the platform would (no choice made), then launched from the console's dialog with it.
    const { id } = await createCampaign({ actor: admin, campaign: { name: `not yet ${randomUUID()}`, channels: ["email", "in_app"], countries: [COUNTRY] } });
    // Its own notices are no earlier campaign's: the draft's preview is the same.
    expect(await audiencePreview({ actor: admin, countries: [COUNTRY], campaignId: id })).toEqual(preview);
    await launchCampaign({ campaignId: id, actor: admin, onlyNotYetReached: true });
    await computeAudience({ actor: systemActor(QUEUES.campaignAudience.name), campaignId: id });

    const { rows } = await pool.query<{ memberId: string; channel: string }>(`SELECT "memberId", channel::text FROM "Notification" WHERE "campaignId" = $1`, [id]);
    const told = (channel: string) =>
      Object.entries(members)
        .filter(([, memberId]) => rows.some((row) => row.memberId === memberId && row.channel === channel))
        .map(([name]) => name)
        .sort();
    expect(told("email")).toEqual(["bounced", "failed", "neverTold", "unseenInApp"]);
    expect(told("in_app")).toEqual(["bounced", "failed", "neverTold", "unseenInApp"]);
    expect((await db().campaign.findUniqueOrThrow({ where: { id }, select: { total: true, onlyNotYetReached: true } })).total).toBe(4);

    const audit = await pool.query<{ detail: unknown }>(`SELECT detail FROM "AuditEvent" WHERE action = 'campaign_launch' AND "targetId" = $1`, [id]);
    expect(audit.rows[0]?.detail).toEqual({ onlyNotYetReached: true });
  });

  it("keeps the choice made at creation (the API's optional field) when the launch does not say", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const { id } = await createCampaign({ actor: admin, campaign: { name: `chosen ${randomUUID()}`, channels: ["in_app"], countries: ["IS"], onlyNotYetReached: true } });
    await launchCampaign({ campaignId: id, actor: admin });
    expect(await db().campaign.findUniqueOrThrow({ where: { id }, select: { onlyNotYetReached: true, status: true } })).toEqual({ onlyNotYetReached: true, status: "running" });
    const created = await pgPool().query<{ detail: unknown }>(`SELECT detail FROM "AuditEvent" WHERE action = 'campaign_create' AND "targetId" = $1`, [id]);
    expect(created.rows[0]?.detail).toMatchObject({ onlyNotYetReached: true });
  });
});
