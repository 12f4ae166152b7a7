import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { POST as pauseRoute } from "@/app/api/v1/campaigns/[id]/pause/route";
import { POST as resumeRoute } from "@/app/api/v1/campaigns/[id]/resume/route";
import { callCampaignRoute, setupCampaignApiTest } from "@/test/campaign-api";
import { deliveriesByRecipient, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { startSmtpSink } from "@/test/smtp-sink";

// Campaigns whose recipients object after the launch, or are refused by the SMTP server (moved
// from campaign-flow.test.ts, in a database of their own).

const { testContext, createAndLaunch, stats, waitForStatus, deliveriesTo } = setupCampaignApiTest("objection_campaign_recipients");

describe("members who object after the launch", () => {
  it("are not sent the rest of the campaign: each email is checked as it is claimed, and the skipped ones are counted as such", async () => {
    const prefix = `late-${randomUUID()}`;
    const emails = await seedMembers({ pool: testContext.pool, prefix, count: 300, country: "PT" });
    testContext.startWorker({ MAIL_RATE_PER_SEC: "100", WORKER_BATCH_CONCURRENCY: "1" });
    const id = await createAndLaunch(["PT"]);

    await waitUntil({ check: async () => (await stats(id)).sent >= 20, timeoutMs: 30_000, what: "the first emails" });
    // Paused, and no chunk in flight, so the objections below land on notifications still queued.
    expect((await callCampaignRoute(pauseRoute, { id })).status).toBe(202);
    await waitUntil({
      check: async () => (await testContext.pool.query(`SELECT 1 FROM pgboss.job WHERE name = 'campaign-batch' AND state = 'active' AND data->>'campaignId' = $1`, [id])).rowCount === 0,
      timeoutMs: 30_000,
      what: "the send jobs to stop",
    });
    const { rows: late } = await testContext.pool.query<{ memberId: string; email: string }>(
      `SELECT n."memberId", m.email FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.status = 'queued' ORDER BY n.id DESC LIMIT 10`,
      [id],
    );
    expect(late).toHaveLength(10);
    // Five object on their account; five under their address alone (by /object, without a link).
    await testContext.pool.query(
      `INSERT INTO "Objection" ("memberId", email, country, source, status)
       SELECT CASE WHEN i <= 5 THEN l."memberId" END, l.email, 'PT', 'direct', 'effective'
         FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS l("memberId", email, i)`,
      [late.map((row) => row.memberId), late.map((row) => row.email)],
    );

    expect((await callCampaignRoute(resumeRoute, { id })).status).toBe(202);
    await waitForStatus(id, "done");

    const objectors = new Set(late.map((row) => row.email));
    const deliveries = deliveriesTo(emails);
    expect([...objectors].filter((email) => deliveries.has(email))).toEqual([]);
    expect(deliveries.size).toBe(290);
    expect(await stats(id)).toMatchObject({ status: "done", total: 300, queued: 0, sent: 290, failed: 0, skipped: 10 });
    const skipped = await testContext.pool.query<{ email: string; skipReason: string; sentAt: Date | null }>(
      `SELECT m.email, n."skipReason", n."sentAt" FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.status = 'skipped'`,
      [id],
    );
    expect(skipped.rows.map((row) => row.email).sort()).toEqual([...objectors].sort());
    expect(skipped.rows.every((row) => row.sentAt === null && row.skipReason === "objected")).toBe(true);
  });
});

describe("recipients the SMTP server refuses", () => {
  it("marks a 5xx recipient failed with the reason, and retries a 4xx recipient until it is accepted", async () => {
    const prefix = `refusals-${randomUUID()}`;
    const normal = await seedMembers({ pool: testContext.pool, prefix: `${prefix}-ok`, count: 70, country: "FI" });
    const rejected = await seedMembers({ pool: testContext.pool, prefix: `${prefix}-reject`, count: 10, country: "FI" });
    const deferred = await seedMembers({ pool: testContext.pool, prefix: `${prefix}-later`, count: 20, country: "FI" });
    const deferredOnce = new Set<string>();
    const picky = await startSmtpSink({
      recipientPolicy: (address) => {
        if (address.includes("-reject-")) return { code: 550, message: "5.1.1 Mailbox does not exist" };
        if (address.includes("-later-") && !deferredOnce.has(address)) {
          deferredOnce.add(address);
          return { code: 451, message: "4.7.1 Greylisted, try again later" };
        }
        return null;
      },
    });
    try {
      testContext.startWorker({ SMTP_URL: picky.url });
      const id = await createAndLaunch(["FI"]);
      await waitForStatus(id, "done", 60_000);

      const deliveries = deliveriesByRecipient(picky.messages);
      expect(deliveries.size).toBe(90);
      expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
      expect([...normal, ...deferred].every((email) => deliveries.get(email) === 1)).toBe(true);
      expect(deferredOnce.size).toBe(20);
      expect(await stats(id)).toMatchObject({ sent: 90, failed: 10, queued: 0 });

      const failed = await testContext.pool.query<{ email: string; lastError: string; attempts: number }>(
        `SELECT m.email, n."lastError", n.attempts FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.status = 'failed'`,
        [id],
      );
      expect(failed.rows.map((row) => row.email).sort()).toEqual([...rejected].sort());
      expect(failed.rows.every((row) => row.lastError.includes("550") && !row.lastError.includes("@") && row.attempts === 1)).toBe(true);
    } finally {
      await testContext.stopWorkers();
      await picky.stop();
    }
  });

  it("counts an error without an SMTP reply code against that notification, so it fails and the campaign still finishes", async () => {
    const prefix = `no-code-${randomUUID()}`;
    const normal = await seedMembers({ pool: testContext.pool, prefix: `${prefix}-ok`, count: 30, country: "IE" });
    await seedMembers({ pool: testContext.pool, prefix: `${prefix}-broken`, count: 3, country: "IE" });
    // Addresses no SMTP server is ever asked about: nodemailer refuses them itself ("No
    // recipients defined"), with no reply code, while the connection is fine.
    await testContext.pool.query(`UPDATE "Member" SET email = "externalId" WHERE "externalId" LIKE $1`, [`${prefix}-broken-%`]);

    testContext.startWorker();
    const id = await createAndLaunch(["IE"]);
    await waitForStatus(id, "done", 30_000);

    expect(await stats(id)).toMatchObject({ status: "done", total: 33, queued: 0, sent: 30, failed: 3 });
    const deliveries = deliveriesTo(normal);
    expect(deliveries.size).toBe(30);
    const failed = await testContext.pool.query<{ externalId: string; lastError: string; attempts: number }>(
      `SELECT m."externalId", n."lastError", n.attempts FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n."campaignId" = $1 AND n.status = 'failed'`,
      [id],
    );
    expect(failed.rows.map((row) => row.externalId).sort()).toEqual([1, 2, 3].map((n) => `${prefix}-broken-${n}`));
    expect(failed.rows.every((row) => row.attempts === 1 && row.lastError.includes("No recipients defined"))).toBe(true);
  });
});
