import type pg from "pg";

import { mintLinkToken } from "@/lib/links/token";
import { createCampaign } from "@/test/factories";
import { TEST_ENV } from "@/test/test-env";

import type { TLinkMember } from "./load";

const DAY_MS = 86_400_000;

/** Members inserted in bulk, each with an email notification, so each has a personal link (valid 30 days). */
export const seedLinkMembers = async ({ pool, count, prefix }: { pool: pg.Pool; count: number; prefix: string }): Promise<TLinkMember[]> => {
  const campaign = await createCampaign({ db: pool, channels: ["email"], status: "done" });
  const { rows: seeded } = await pool.query<{ memberId: string; notificationId: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT $2 || i, $2 || i || '@example.eu',
              (ARRAY['AT','BE','DE','FR','IE','IT','NL','PL','ES','SE'])[1 + i % 10],
              date '1950-01-01' + (i % 18000),
              (ARRAY['en','de','fr'])[1 + i % 3]
       FROM generate_series(1, $1::int) AS i
       RETURNING id),
     n AS (
       INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt")
       SELECT id, $3, 'email', 'sent', now() FROM m
       RETURNING id, "memberId")
     SELECT "memberId", id AS "notificationId" FROM n`,
    [count, prefix, campaign.id],
  );
  const expiresAt = new Date(Date.now() + 30 * DAY_MS);
  return seeded.map(({ memberId, notificationId }) => ({
    memberId,
    token: mintLinkToken({ subject: { kind: "notification", id: notificationId }, expiresAt, secret: TEST_ENV.LINK_SECRET }),
  }));
};
