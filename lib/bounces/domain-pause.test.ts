import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { DOMAIN_PAUSE_MIN_REJECTIONS } from "@/lib/bounces/domain-pause-sql";
import { BOUNCE_LISTENER_ACTOR, recordBounces, type TBounceEvent } from "@/lib/bounces/record-bounces";
import { pruneDomainWindows } from "@/lib/bounces/prune-domain-windows";
import { QUEUES } from "@/lib/jobs";
import { closePgPool, pgPool } from "@/lib/pg";

afterAll(closePgPool);

/** A running campaign; returns its id. */
const campaign = async () =>
  (await pgPool().query<{ id: string }>(`INSERT INTO "Campaign" (name, channels, status) VALUES ($1, '{email}', 'running') RETURNING id`, [`pause ${randomUUID()}`])).rows[0]!.id;

/** `count` sent notices of the campaign to members at `domain`, and `sent` emails to it counted in the last hour. */
const sentTo = async ({ campaignId, domain, count, sent }: { campaignId: string; domain: string; count: number; sent: number }) => {
  const prefix = `pause-${randomUUID()}`;
  const { rows } = await pgPool().query<{ id: string }>(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT $1 || '-' || i, $1 || '-' || i || '@' || $3, 'DE', '1980-01-01' FROM generate_series(1, $2) AS i RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, "sentAt") SELECT m.id, $4, 'email', 'sent', now() FROM m RETURNING id`,
    [prefix, count, domain, campaignId],
  );
  // Counted as the send path counts them, in 10-minute windows: most of them in an earlier window of the hour.
  await pgPool().query(
    `INSERT INTO "CampaignDomainWindow" ("campaignId", domain, "windowStart", sent)
     VALUES ($1, $2, date_bin('10 minutes', now(), TIMESTAMPTZ '2000-01-01') - interval '20 minutes', $3 - 1),
            ($1, $2, date_bin('10 minutes', now(), TIMESTAMPTZ '2000-01-01'), 1)`,
    [campaignId, domain, sent],
  );
  return rows.map((row) => row.id);
};

const rejected = (notificationId: string): TBounceEvent => ({ notificationId, digest: randomUUID(), kind: "rejected", status: "5.7.1", diagnostic: "550 5.7.1 Client host blocked using a blocklist" });

const pauseOf = async (campaignId: string, domain: string) =>
  (await pgPool().query(`SELECT sent, rejected, "lastStatus", "lastDiagnostic" FROM "CampaignDomainPause" WHERE "campaignId" = $1 AND domain = $2`, [campaignId, domain])).rows[0] ?? null;

describe("pausing a recipient domain whose policy rejections pass the threshold", () => {
  it(`pauses the domain at ${DOMAIN_PAUSE_MIN_REJECTIONS} rejections that are 5 % of its sends in the hour, says why, and audits it as the system`, async () => {
    const campaignId = await campaign();
    const notices = await sentTo({ campaignId, domain: "blocked.example", count: DOMAIN_PAUSE_MIN_REJECTIONS, sent: 1000 });
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: notices.slice(0, -1).map(rejected) });
    expect(await pauseOf(campaignId, "blocked.example")).toBeNull();
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [rejected(notices.at(-1)!)] })).toMatchObject({ pausedDomains: 1 });
    expect(await pauseOf(campaignId, "blocked.example")).toEqual({ sent: 1000, rejected: DOMAIN_PAUSE_MIN_REJECTIONS, lastStatus: "5.7.1", lastDiagnostic: expect.stringContaining("blocklist") });
    const { rows } = await pgPool().query(`SELECT "actorType", "actorId", "actorJob", "targetType", detail FROM "AuditEvent" WHERE action = 'domain_pause' AND "targetId" = $1`, [campaignId]);
    expect(rows).toEqual([{ actorType: "system", actorId: null, actorJob: "bounce-listener", targetType: "campaign", detail: { domain: "blocked.example", sent: 1000, rejected: DOMAIN_PAUSE_MIN_REJECTIONS } }]);
  });

  it("does not pause a domain whose rejections are under 5 % of its sends, nor one under the minimum, nor another campaign's", async () => {
    const [big, other] = [await campaign(), await campaign()];
    const bigNotices = await sentTo({ campaignId: big, domain: "big.example", count: 60, sent: 1300 });
    const fewNotices = await sentTo({ campaignId: big, domain: "few.example", count: DOMAIN_PAUSE_MIN_REJECTIONS - 1, sent: DOMAIN_PAUSE_MIN_REJECTIONS });
    await sentTo({ campaignId: other, domain: "big.example", count: 0, sent: 1 });
    expect(await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: [...bigNotices, ...fewNotices].map(rejected) })).toMatchObject({ bounced: 60 + DOMAIN_PAUSE_MIN_REJECTIONS - 1, pausedDomains: 0 });
    const { rows } = await pgPool().query(`SELECT count(*)::int AS n FROM "CampaignDomainPause" WHERE "campaignId" = ANY($1::uuid[])`, [[big, other]]);
    expect(rows[0].n).toBe(0);
  });

  it("prunes the counts past the two hours a pause could read, and keeps the recent ones", async () => {
    const campaignId = await campaign();
    await pgPool().query(
      `INSERT INTO "CampaignDomainWindow" ("campaignId", domain, "windowStart", sent) VALUES ($1, 'old.example', now() - interval '3 hours', 5), ($1, 'new.example', now() - interval '50 minutes', 5)`,
      [campaignId],
    );
    expect(await pruneDomainWindows({ actor: systemActor(QUEUES.domainWindowsPrune.name) })).toBeGreaterThanOrEqual(1);
    const { rows } = await pgPool().query(`SELECT domain FROM "CampaignDomainWindow" WHERE "campaignId" = $1`, [campaignId]);
    expect(rows).toEqual([{ domain: "new.example" }]);
  });
});
