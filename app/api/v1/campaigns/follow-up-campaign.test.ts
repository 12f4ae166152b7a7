import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { BOUNCE_LISTENER_ACTOR, recordBounces } from "@/lib/bounces/record-bounces";
import { audiencePreview } from "@/lib/campaigns/audience-preview";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { launchCampaign } from "@/lib/campaigns/launch-campaign";
import { db } from "@/lib/db";
import { markSeen } from "@/lib/notifications/mark-seen";
import { recipientOf, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { setupCampaignTestContext } from "@/test/campaign-test-context";
import { TEST_ENV } from "@/test/test-env";
import { createAdmin } from "@/test/factories";

// While true, the SMTP server refuses (550) every address with "-refused-" in it, as a mailbox that does not exist.
let refusing = true;

const testContext = setupCampaignTestContext({
  databaseName: "objection_follow_up",
  sink: { recipientPolicy: (address) => (refusing && address.includes("-refused-") ? { code: 550, message: "5.1.1 Mailbox does not exist" } : null) },
  env: { CAMPAIGN_BATCH_SIZE: "10", JOBS_MAINTENANCE_SECONDS: "1" },
});

const callApi = async (handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>, { id = "", body }: { id?: string; body?: unknown } = {}) => {
  const request = new Request("http://localhost/api/v1/campaigns", {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${TEST_ENV.PLATFORM_API_TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve({ id }) });
  return { status: response.status, json: (await response.json()) as { id?: string; notReachedBy?: string | null; error?: { code: string; message: string; issues?: { field: string }[] } } };
};

const waitUntilDone = (campaignId: string) =>
  waitUntil({
    check: async () => (await testContext.pool.query<{ status: string }>(`SELECT status FROM "Campaign" WHERE id = $1`, [campaignId])).rows[0]?.status === "done",
    timeoutMs: 60_000,
    what: `campaign ${campaignId} to be done`,
  });

const notificationIds = async ({ campaignId, emails, channel }: { campaignId: string; emails: string[]; channel: "email" | "in_app" }) =>
  (
    await testContext.pool.query<{ id: string }>(`SELECT n.id FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.channel = $2::"NotificationChannel" AND m.email = ANY($3)`, [
      campaignId,
      channel,
      emails,
    ])
  ).rows.map((row) => row.id);

describe("a follow-up campaign to 'not yet reached'", () => {
  it("mails exactly the members that the first one missed", async () => {
    const prefix = `follow-up-${randomUUID()}`;
    const seed = (group: string, count: number) => seedMembers({ pool: testContext.pool, prefix: `${prefix}-${group}`, count, country: "LU" });
    const groups = {
      // Reached by email: accepted, never bounced.
      delivered: await seed("delivered", 4),
      // Missed: the mailbox refused the email, the in-app notice was never seen.
      refused: await seed("refused", 5),
      // Missed: accepted, then a hard bounce (which also stops their emails: told in-app only).
      bounced: await seed("bounced", 3),
      // Reached in-app: the email was refused, but the notice was seen.
      seenInApp: await seed("refused-seen", 3),
      // Missed, but objected since: not told again.
      objectedSince: await seed("refused-objected", 2),
      // Missed, and chose "stop these emails" since: told in-app only.
      stoppedSince: await seed("refused-stopped", 2),
    };
    const admin = await createAdmin({ db: testContext.pool, role: "admin" });

    testContext.startWorker();
    const first = await createCampaign({ actor: admin, campaign: { name: `first ${prefix}`, channels: ["email", "in_app"], countries: ["LU"] } });
    await launchCampaign({ campaignId: first.id, actor: admin });

    // Running, its reach not known yet: no follow-up to it, in the console or through the API.
    const early = { name: `too early ${prefix}`, channels: ["email" as const], countries: ["LU" as const], notReachedBy: first.id };
    await expect(createCampaign({ actor: admin, campaign: early })).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("not done") });
    const earlyApi = await callApi(createRoute, { body: early });
    expect(earlyApi.status).toBe(422);
    expect(earlyApi.json.error?.message).toContain("not done");

    await waitUntilDone(first.id);
    const refusedFirst = await testContext.pool.query<{ email: string }>(`SELECT m.email FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.status = 'failed'`, [first.id]);
    expect(refusedFirst.rows.map((row) => row.email).sort()).toEqual([...groups.refused, ...groups.seenInApp, ...groups.objectedSince, ...groups.stoppedSince].sort());
    const late = await seed("joined-later", 2);
    await recordBounces({ actor: BOUNCE_LISTENER_ACTOR, events: (await notificationIds({ campaignId: first.id, emails: groups.bounced, channel: "email" })).map((notificationId) => ({ notificationId, digest: `report-${notificationId}`, kind: "hard" as const, status: "5.1.1", diagnostic: null })) });
    for (const id of await notificationIds({ campaignId: first.id, emails: groups.seenInApp, channel: "in_app" })) expect(await markSeen({ actor: PLATFORM_ACTOR, notificationId: id })).toBe(true);
    await testContext.pool.query(`INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = ANY($1)`, [groups.objectedSince]);
    await testContext.pool.query(`INSERT INTO "EmailSuppression" ("memberId", reason) SELECT id, 'unsubscribe' FROM "Member" WHERE email = ANY($1)`, [groups.stoppedSince]);

    // The mailboxes exist now: whatever the follow-up sends is accepted, so the sink shows all it sent.
    refusing = false;
    const before = testContext.sink.messages.length;
    const followUp = await createCampaign({ actor: admin, campaign: { name: `follow-up ${prefix}`, channels: ["email", "in_app"], countries: ["LU"], notReachedBy: first.id } });
    const audit = await db().auditEvent.findFirst({ where: { action: "campaign_create", targetId: followUp.id }, select: { actorId: true, detail: true } });
    expect(audit).toEqual({ actorId: admin.id, detail: { channels: ["email", "in_app"], countries: ["LU"], notReachedBy: first.id } });
    // The console's count before launch: members missed, whatever the channel.
    expect((await audiencePreview({ actor: admin, countries: ["LU"], notReachedBy: first.id })).count).toBe(groups.refused.length + groups.bounced.length + groups.stoppedSince.length);
    expect((await callApi(statsRoute, { id: followUp.id })).json).toMatchObject({ status: "draft", notReachedBy: first.id });

    await launchCampaign({ campaignId: followUp.id, actor: admin });
    await waitUntilDone(followUp.id);

    const mailed = testContext.sink.messages.slice(before).map(recipientOf).sort();
    expect(mailed).toEqual([...groups.refused].sort());
    const { rows } = await testContext.pool.query<{ email: string }>(`SELECT m.email FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.channel = 'in_app'`, [followUp.id]);
    expect(rows.map((row) => row.email).sort()).toEqual([...groups.refused, ...groups.bounced, ...groups.stoppedSince].sort());
    expect(mailed.some((email) => late.includes(email) || groups.delivered.includes(email))).toBe(false);
  });

  it("refuses a follow-up to a campaign that does not exist (422), in the console and through the API, and writes nothing", async () => {
    const admin = await createAdmin({ db: testContext.pool, role: "admin" });
    const campaign = { name: `orphan ${randomUUID()}`, channels: ["email" as const], notReachedBy: randomUUID() };
    await expect(createCampaign({ actor: admin, campaign })).rejects.toMatchObject({ code: "invalid", message: expect.stringContaining("No campaign has the id given as notReachedBy") });
    const unknown = await callApi(createRoute, { body: campaign });
    expect(unknown.status).toBe(422);
    expect(unknown.json.error?.code).toBe("invalid");

    const malformed = await callApi(createRoute, { body: { ...campaign, notReachedBy: "last-week" } });
    expect(malformed.status).toBe(422);
    expect(malformed.json.error?.issues?.map(({ field }) => field)).toEqual(["notReachedBy"]);
    expect(await db().campaign.count({ where: { name: campaign.name } })).toBe(0);
    expect(await db().auditEvent.count({ where: { actorId: admin.id } })).toBe(0);
  });
});
