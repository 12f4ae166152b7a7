import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { resumeDomain } from "@/lib/campaigns/resume-domain";
import { sendCampaignBatch } from "@/lib/campaigns/send-campaign-batch";
import { db } from "@/lib/db";
import { QUEUES } from "@/lib/jobs";
import { recipientOf } from "@/test/campaign-fixtures";
import { setupCampaignTestContext } from "@/test/campaign-test-context";

const context = setupCampaignTestContext({ databaseName: "objection_domain_pause" });

/** A running campaign with `perDomain` queued email notices to each domain, all in batch 0. */
const queueCampaign = async ({ domains, perDomain }: { domains: string[]; perDomain: number }) => {
  const { pool } = context;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, "launchedAt", "audienceAt") VALUES ($1, '{email}', '{}', 'running', now(), now()) RETURNING id`,
    [`pause ${randomUUID()}`],
  );
  const campaignId = rows[0]!.id;
  await pool.query(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
       SELECT 'pause-' || gen_random_uuid(), 'p' || i || '@' || d, 'DE', '1980-01-01', 'en' FROM unnest($1::text[]) AS d, generate_series(1, $2) AS i
       RETURNING id)
     INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch) SELECT m.id, $3, 'email', 'queued', 0 FROM m`,
    [domains, perDomain, campaignId],
  );
  return campaignId;
};

const domainsReceived = () => context.sink.messages.map((message) => recipientOf(message).split("@")[1]);

describe("a campaign with a paused recipient domain", () => {
  it("sends nothing to that domain until an admin resumes it, counts its sends per domain, and then sends the rest", async () => {
    const tag = randomUUID().slice(0, 8);
    const [paused, open] = [`paused-${tag}.example`, `open-${tag}.example`];
    const campaignId = await queueCampaign({ domains: [paused, open], perDomain: 30 });
    await context.pool.query(`INSERT INTO "CampaignDomainPause" ("campaignId", domain, sent, rejected, "lastStatus") VALUES ($1, $2, 1000, 60, '5.7.1')`, [campaignId, paused]);

    expect(await sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 })).toMatchObject({ sent: 30, stopped: false });
    expect(domainsReceived().filter((domain) => domain === paused)).toHaveLength(0);
    const { rows: counted } = await context.pool.query(`SELECT domain, sum(sent)::int AS sent FROM "CampaignDomainWindow" WHERE "campaignId" = $1 GROUP BY domain`, [campaignId]);
    expect(counted).toEqual([{ domain: open, sent: 30 }]);
    const campaign = await db().campaign.findUniqueOrThrow({ where: { id: campaignId } });
    expect(campaign.status).toBe("running");

    const admin = await db().adminUser.create({ data: { email: `admin-${tag}@objection.test`, role: "admin" } });
    await resumeDomain({ actor: { kind: "admin", id: admin.id, role: "admin" }, campaignId, domain: paused });
    expect(await db().campaignDomainPause.count({ where: { campaignId } })).toBe(0);
    expect(await db().auditEvent.findMany({ where: { targetId: campaignId }, select: { actorId: true, action: true, detail: true } })).toEqual([
      { actorId: admin.id, action: "domain_resume", detail: { domain: paused, sent: 1000, rejected: 60, status: "5.7.1" } },
    ]);
    const { rows: jobs } = await context.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'campaign-batch' AND data->>'campaignId' = $1`, [campaignId]);
    expect(jobs[0].n).toBe(1);

    expect(await sendCampaignBatch({ actor: systemActor(QUEUES.campaignBatch.name), campaignId, batch: 0 })).toMatchObject({ sent: 30 });
    expect(domainsReceived().filter((domain) => domain === paused)).toHaveLength(30);
    expect((await db().campaign.findUniqueOrThrow({ where: { id: campaignId } })).status).toBe("done");
  });

  it("refuses a viewer, and a domain that is not paused", async () => {
    const campaignId = await queueCampaign({ domains: [], perDomain: 0 });
    const viewer = await db().adminUser.create({ data: { email: `viewer-${randomUUID()}@objection.test`, role: "viewer" } });
    const admin = await db().adminUser.create({ data: { email: `admin-${randomUUID()}@objection.test`, role: "admin" } });
    await expect(resumeDomain({ actor: { kind: "admin", id: viewer.id, role: "viewer" }, campaignId, domain: "x.example" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(resumeDomain({ actor: { kind: "admin", id: admin.id, role: "admin" }, campaignId, domain: "x.example" })).rejects.toMatchObject({ code: "conflict" });
  });
});
