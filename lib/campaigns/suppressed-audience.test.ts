import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { computeAudience } from "@/lib/campaigns/compute-audience";
import { QUEUES, stopJobs } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";

afterAll(async () => {
  await stopJobs();
  await closePgPool();
});

describe("a new campaign's audience", () => {
  it("leaves a member whose emails are stopped out of the email channel, and still tells them in the app", async () => {
    const pool = pgPool();
    const tag = randomUUID();
    const { rows: members } = await pool.query<{ id: string; externalId: string }>(
      `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT 'audience-' || $1 || '-' || i, 'audience-' || $1 || '-' || i || '@example.eu', 'LI', '1980-01-01', 'en' FROM generate_series(1, 2) AS i
       RETURNING id, "externalId"`,
      [tag],
    );
    const [stopped, kept] = members.sort((a, b) => a.externalId.localeCompare(b.externalId));
    await pool.query(`INSERT INTO "EmailSuppression" ("memberId", reason) VALUES ($1, 'complaint')`, [stopped!.id]);
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt") VALUES ($1, '{email,in_app}', '{LI}', 'running', now()) RETURNING id`,
      [`audience ${tag}`],
    );
    const campaignId = rows[0]!.id;
    await computeAudience({ actor: systemActor(QUEUES.campaignAudience.name), campaignId });

    const { rows: notifications } = await pool.query<{ memberId: string; channel: string }>(
      `SELECT "memberId", channel::text FROM "Notification" WHERE "campaignId" = $1 AND "memberId" = ANY($2::uuid[]) ORDER BY channel`,
      [campaignId, [stopped!.id, kept!.id]],
    );
    const channelsOf = (memberId: string) => notifications.filter((n) => n.memberId === memberId).map((n) => n.channel);
    expect(channelsOf(stopped!.id)).toEqual(["in_app"]);
    expect(channelsOf(kept!.id)).toEqual(["email", "in_app"]);
  });
});
