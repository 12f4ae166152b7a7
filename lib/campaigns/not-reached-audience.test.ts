import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { audiencePreview } from "@/lib/campaigns/audience-preview";
import { computeAudience } from "@/lib/campaigns/compute-audience";
import { db } from "@/lib/db";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
  await db().$disconnect();
});

type TFirstNotice = { email?: { status: string; bounce?: "hard" | "complaint" }; inAppSeen?: boolean };

describe("a follow-up campaign to the members not yet reached", () => {
  it("tells exactly the members the first campaign missed, and mails none who objected or whose emails are stopped", async () => {
    const pool = pgPool();
    const tag = randomUUID();
    const campaign = async (name: string, status: string, notReachedBy: string | null = null) => {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "notReachedById") VALUES ($1, '{email,in_app}', '{LI}', $2::"CampaignStatus", now(), $3) RETURNING id`,
        [`${name} ${tag}`, status, notReachedBy],
      );
      return rows[0]!.id;
    };
    const first = await campaign("first", "done");
    const member = async (name: string, notice: TFirstNotice | null) => {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'LI', '1980-01-01') RETURNING id`,
        [`follow-up-${tag}-${name}`],
      );
      const id = rows[0]!.id;
      if (notice?.email) {
        await pool.query(
          `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "bounceKind", "bouncedAt") VALUES ($1, $2, 'email', $3::"NotificationStatus", $4::"NotificationBounce", CASE WHEN $4 IS NULL THEN NULL ELSE now() END)`,
          [id, first, notice.email.status, notice.email.bounce ?? null],
        );
      }
      if (notice && "inAppSeen" in notice) {
        await pool.query(
          `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt", "seenAt") VALUES ($1, $2, 'in_app', CASE WHEN $3 THEN 'seen' ELSE 'sent' END::"NotificationStatus", now(), CASE WHEN $3 THEN now() END)`,
          [id, first, notice.inAppSeen],
        );
      }
      return id;
    };
    const members = {
      reachedByEmail: await member("reached-by-email", { email: { status: "sent" }, inAppSeen: false }),
      bounced: await member("bounced", { email: { status: "sent", bounce: "hard" }, inAppSeen: false }),
      failed: await member("failed", { email: { status: "failed" } }),
      inAppSeen: await member("in-app-seen", { email: { status: "failed" }, inAppSeen: true }),
      inAppUnseen: await member("in-app-unseen", { email: { status: "failed" }, inAppSeen: false }),
      suppressed: await member("suppressed", { email: { status: "failed" }, inAppSeen: false }),
      objected: await member("objected", { email: { status: "failed" }, inAppSeen: false }),
      stillQueued: await member("still-queued", { email: { status: "queued" }, inAppSeen: false }),
      notInFirst: await member("not-in-first", null),
    };
    // The bounce listener suppresses a hard bounce; "stop these emails" suppresses without objecting.
    await pool.query(`INSERT INTO "EmailSuppression" ("memberId", reason) VALUES ($1, 'hard_bounce'), ($2, 'unsubscribe')`, [members.bounced, members.suppressed]);
    await pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, 'LI', 'direct', 'effective' FROM "Member" WHERE id = $1`, [members.objected]);

    // The count before launch applies the same rule (an estimate of members, whatever the channel).
    const admin = await db().adminUser.create({ data: { email: `admin-${tag}@objection.test`, role: "admin" }, select: { id: true, role: true, email: true } });
    expect((await audiencePreview({ actor: { kind: "admin", ...admin, role: "admin" }, countries: ["LI"], notReachedBy: first })).count).toBe(4);

    // The follow-up carries the earlier campaign itself: the audience job reads it from the row.
    const followUp = await campaign("follow-up", "running", first);
    await computeAudience({ actor: systemActor(QUEUES.campaignAudience.name), campaignId: followUp });

    const { rows } = await pool.query<{ memberId: string; channel: string }>(`SELECT "memberId", channel::text FROM "Notification" WHERE "campaignId" = $1`, [followUp]);
    const names = (channel: string) =>
      Object.entries(members)
        .filter(([, id]) => rows.some((row) => row.memberId === id && row.channel === channel))
        .map(([name]) => name)
        .sort();
    expect(names("email")).toEqual(["failed", "inAppUnseen"]);
    expect(names("in_app")).toEqual(["bounced", "failed", "inAppUnseen", "suppressed"]);
    expect(rows).toHaveLength(6);
  });
});
