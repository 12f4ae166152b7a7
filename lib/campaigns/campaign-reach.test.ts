import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { campaignStats } from "@/lib/campaigns/campaign-stats";
import { closePgPool, pgPool } from "@/lib/pg";

afterAll(async () => {
  await closePgPool();
});

describe("a campaign's reach", () => {
  it("counts each member reached by an accepted, unbounced email or a seen in-app notice, once", async () => {
    const pool = pgPool();
    const tag = randomUUID();
    const { rows: campaigns } = await pool.query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, countries, status) VALUES ($1, '{email,in_app}', '{LI}', 'running') RETURNING id`, [`reach ${tag}`]);
    const campaignId = campaigns[0]!.id;
    // [email status, email bounce, in-app seen]: who is reached.
    const cases: [string, string | null, boolean, boolean][] = [
      ["sent", null, false, true], // email accepted
      ["clicked", null, true, true], // both channels: counted once
      ["sent", "hard", false, false], // bounced
      ["sent", "complaint", false, false], // reported
      ["failed", null, false, false],
      ["failed", null, true, true], // email failed, in-app seen
      ["queued", null, false, false],
      ["skipped", null, false, false],
    ];
    for (const [index, [status, bounce, seen]] of cases.entries()) {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO "Member" ("externalId", email, country, "birthDate") VALUES ($1, $1 || '@example.eu', 'LI', '1980-01-01') RETURNING id`,
        [`reach-${tag}-${index}`],
      );
      await pool.query(
        `INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "bounceKind", "sentAt")
         VALUES ($1, $2, 'email', $3::"NotificationStatus", $4::"NotificationBounce", now()), ($1, $2, 'in_app', 'sent', NULL, now())`,
        [rows[0]!.id, campaignId, status, bounce],
      );
      if (seen) await pool.query(`UPDATE "Notification" SET "seenAt" = now(), status = 'seen' WHERE "memberId" = $1 AND channel = 'in_app'`, [rows[0]!.id]);
    }
    const stats = await campaignStats(campaignId);
    expect(stats?.reached).toBe(cases.filter(([, , , reached]) => reached).length);
    expect(stats?.reached).toBe(3);
  });
});
