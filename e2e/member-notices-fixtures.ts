import { randomBytes, randomUUID } from "node:crypto";

import { encodeTimeIdCursor } from "../lib/pagination/time-id-cursor";
import { createCampaign, createMember } from "../test/factories";
import { test as base } from "./fixtures";

// The members the console's member and suppression pages are tested with (admin-member-notices.spec.ts, admin-member-lookup.spec.ts).

export type TNoticedMember = {
  id: string;
  externalId: string;
  email: string;
  campaignName: string;
  relayReply: string;
  emailNoticeId: string;
  objectionId: string;
};

export const test = base.extend<{
  /**
   * A member with an objection, an email notice the relay took and that hard-bounced (so their emails are stopped) and an in-app notice they saw.
   * `floor` is a suppressions cursor just before theirs, newest first, so the list opens on them whatever other tests add meanwhile.
   */
  createNoticedMember: (options: { reason: "hard_bounce" | "complaint" | "unsubscribe" }) => Promise<TNoticedMember & { floor: string }>;
  /** A member with no notice at all. */
  createQuietMember: () => Promise<{ id: string; externalId: string }>;
}>({
  createNoticedMember: async ({ db }, use) => {
    await use(async ({ reason }) => {
      const { id, externalId, email } = await createMember({ db, externalId: `e2e-notices-${randomUUID()}`, country: "IE" });
      const campaignName = `Notice proof ${randomUUID().slice(0, 8)}`;
      const campaign = await createCampaign({ db, name: campaignName, channels: ["email", "in_app"], countries: ["IE"], status: "done" });
      const relayReply = `250 2.0.0 Ok: queued as ${randomBytes(5).toString("hex").toUpperCase()}`;
      const { rows: notices } = await db.query<{ id: string }>(
        `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "createdAt", "sentAt", locale, "noticeVersion", "relayReply", "bounceKind", "bouncedAt", "bounceStatus", "bounceDiagnostic", "softBounces")
         VALUES ($1, $2, 'email', 'sent', now() - interval '2 hours', now() - interval '2 hours', 'en', 'c0ffee1234567890abcdef', $3, 'hard', now() - interval '1 hour', '5.1.1', '550 5.1.1 mailbox unknown', 1)
         RETURNING id`,
        [id, campaign.id, relayReply],
      );
      await db.query(
        `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "createdAt", "sentAt", "seenAt", locale) VALUES ($1, $2, 'in_app', 'seen', now() - interval '3 hours', now() - interval '3 hours', now() - interval '30 minutes', 'en')`,
        [id, campaign.id],
      );
      const { rows: suppressions } = await db.query<{ createdAt: Date }>(`INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId") VALUES ($1, $2, $3) RETURNING "createdAt"`, [id, reason, notices[0]!.id]);
      const floor = encodeTimeIdCursor({ at: new Date(suppressions[0]!.createdAt.getTime() + 1), id: randomUUID() });
      const { rows: objections } = await db.query<{ id: string }>(`INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, source) VALUES ($1, $2, $3, $4, 'IE', 'email_link') RETURNING id`, [id, notices[0]!.id, campaign.id, email]);
      return { id, floor, externalId, email, campaignName, relayReply, emailNoticeId: notices[0]!.id, objectionId: objections[0]!.id };
    });
  },
  createQuietMember: async ({ db }, use) => {
    await use(async () => {
      const { id, externalId } = await createMember({ db, externalId: `e2e-quiet-${randomUUID()}`, country: "DE", locale: null });
      return { id, externalId };
    });
  },
});
