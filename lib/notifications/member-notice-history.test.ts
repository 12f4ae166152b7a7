import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { memberNoticeHistory, memberNoticeRecords } from "@/lib/notifications/member-notice-history";
import { closePgPool, pgPool } from "@/lib/pg";
import { createCampaign } from "@/test/factories";

afterAll(async () => {
  await closePgPool();
});

describe("a member's proof of notice", () => {
  it("lists every notice, newest first, with its bounce, and the member's suppression, and no address", async () => {
    const pool = pgPool();
    const externalId = `history-${randomUUID()}`;
    const email = `${externalId}@example.eu`;
    const { rows: members } = await pool.query<{ id: string }>(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale) VALUES ($1, $2, 'AT', '1980-01-01', 'de') RETURNING id`,
      [externalId, email],
    );
    const memberId = members[0]!.id;
    const { rows: campaigns } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, countries) VALUES ($1, '{email,in_app}', '{AT}') RETURNING id`, [`history ${externalId}`]);
    const campaignId = campaigns[0]!.id;
    const earlier = await createCampaign({ db: pool, channels: ["email"], status: "done" });
    const { rows: notices } = await pool.query<{ id: string; channel: string }>(
      `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "createdAt", "sentAt", "seenAt", locale, "noticeVersion", "relayReply", "bounceKind", "bouncedAt", "bounceStatus", "bounceDiagnostic")
       VALUES ($1, $2, 'email', 'sent', '2026-01-01T10:00:00Z', '2026-01-01T10:00:05Z', NULL, 'de', 'v1-de', '250 2.0.0 Ok: queued as ABC123', 'hard', '2026-01-01T10:01:00Z', '5.1.1', 'user unknown'),
              ($1, $2, 'in_app', 'seen', '2026-01-01T10:00:01Z', '2026-01-01T10:00:01Z', '2026-01-02T08:00:00Z', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              ($1, $3, 'email', 'failed', '2025-12-01T10:00:00Z', NULL, NULL, 'de', 'v0-de', NULL, NULL, NULL, NULL, NULL)
       RETURNING id, channel::text`,
      [memberId, campaignId, earlier.id],
    );
    await pool.query(`INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId", "createdAt") VALUES ($1, 'hard_bounce', $2, '2026-01-01T10:01:00Z')`, [memberId, notices[0]!.id]);

    const history = await memberNoticeHistory(externalId);
    expect(history?.externalId).toBe(externalId);
    expect(history?.suppression).toEqual({ reason: "hard_bounce", at: new Date("2026-01-01T10:01:00Z") });
    expect(history?.notices.map((n) => n.id)).toEqual([notices[1]!.id, notices[0]!.id, notices[2]!.id]);

    const [inApp, bounced, ofEarlierCampaign] = history!.notices;
    expect(inApp).toMatchObject({ channel: "in_app", status: "seen", campaign: { id: campaignId, name: `history ${externalId}` }, bounce: null, seenAt: new Date("2026-01-02T08:00:00Z"), clickedAt: null });
    expect(bounced).toMatchObject({
      channel: "email",
      status: "sent",
      locale: "de",
      noticeVersion: "v1-de",
      sentAt: new Date("2026-01-01T10:00:05Z"),
      relayReply: "250 2.0.0 Ok: queued as ABC123",
      bounce: { kind: "hard", status: "5.1.1", at: new Date("2026-01-01T10:01:00Z") },
    });
    expect(ofEarlierCampaign).toMatchObject({ channel: "email", status: "failed", campaign: { id: earlier.id, name: earlier.name }, sentAt: null });
    expect(JSON.stringify(history)).not.toContain("@");
    // The API answers the documented fields only: what the console reads in addition stays out of it.
    expect(Object.keys(history!.suppression!).sort()).toEqual(["at", "reason"]);
    expect(Object.keys(bounced!).sort()).toEqual(["bounce", "campaign", "channel", "clickedAt", "createdAt", "delay", "id", "locale", "noticeVersion", "relayReply", "seenAt", "sentAt", "status"]);
    expect(Object.keys(bounced!.bounce!).sort()).toEqual(["at", "kind", "status"]);

    // The console reads the same record by member id, with the diagnostic, the soft bounces and the suppressing notice.
    const full = await memberNoticeRecords({ memberId });
    expect(full).toMatchObject({ memberId, externalId, suppression: { reason: "hard_bounce", at: new Date("2026-01-01T10:01:00Z"), notificationId: notices[0]!.id } });
    expect(full?.notices.map((n) => n.id)).toEqual(history!.notices.map((n) => n.id));
    expect(full?.notices[1]).toMatchObject({ bounce: { kind: "hard", status: "5.1.1", diagnostic: "user unknown" }, softBounces: 0 });
    expect(JSON.stringify(full)).not.toContain("@");
  });

  it("answers a member without notices with an empty list, and an unknown member with null", async () => {
    const externalId = `history-${randomUUID()}`;
    await pgPool().query(`INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'AT', '1980-01-01')`, [externalId]);
    expect(await memberNoticeHistory(externalId)).toEqual({ externalId, suppression: null, notices: [] });
    expect(await memberNoticeHistory(`nobody-${randomUUID()}`)).toBeNull();
    expect(await memberNoticeRecords({ memberId: randomUUID() })).toBeNull();
  });
});
