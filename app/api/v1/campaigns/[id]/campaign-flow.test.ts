import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { LINK_HOLDER, systemActor } from "@/lib/auth/actor";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { POST as pauseRoute } from "@/app/api/v1/campaigns/[id]/pause/route";
import { POST as resumeRoute } from "@/app/api/v1/campaigns/[id]/resume/route";
import { recordCampaignFailure } from "@/lib/campaigns/record-campaign-failure";
import { QUEUES } from "@/lib/jobs";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { verifyLinkToken, verifyLinkTokenFor } from "@/lib/links/token";
import { submitObjection } from "@/lib/objections/submit-objection";
import { API_TEST_BATCH_SIZE, callCampaignRoute, setupCampaignApiTest } from "@/test/campaign-api";
import { recipientOf, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { startSmtpSink } from "@/test/smtp-sink";
import { TEST_ENV } from "@/test/test-env";
import de from "@/messages/de.json";

const { testContext, createAndLaunch, stats, waitForStatus, deliveriesTo } = setupCampaignApiTest("objection_campaign");

describe("campaigns", () => {
  it("delivers exactly one email with a distinct, valid link to each eligible member, and none to minors, non-EEA members or objectors", async () => {
    const prefix = `eligible-${randomUUID()}`;
    const eligible = [
      ...(await seedMembers({ pool: testContext.pool, prefix: `${prefix}-at`, count: 200, country: "AT" })),
      ...(await seedMembers({ pool: testContext.pool, prefix: `${prefix}-de`, count: 200, country: "DE", locale: "de" })),
      ...(await seedMembers({ pool: testContext.pool, prefix: `${prefix}-fr`, count: 100, country: "FR", locale: "fr" })),
    ];
    const seventeen = new Date();
    seventeen.setUTCFullYear(seventeen.getUTCFullYear() - 17);
    const minors = await seedMembers({ pool: testContext.pool, prefix: `${prefix}-minor`, count: 20, country: "AT", birthDate: seventeen.toISOString().slice(0, 10) });
    const outside = [
      ...(await seedMembers({ pool: testContext.pool, prefix: `${prefix}-us`, count: 10, country: "US" })),
      ...(await seedMembers({ pool: testContext.pool, prefix: `${prefix}-ch`, count: 10, country: "CH" })),
    ];
    const objectors = await seedMembers({ pool: testContext.pool, prefix: `${prefix}-objected`, count: 20, country: "DE" });
    await testContext.pool.query(
      `INSERT INTO "Objection" ("memberId", email, country, source, status) SELECT id, email, country, 'direct', 'effective' FROM "Member" WHERE email = ANY($1)`,
      [objectors],
    );

    testContext.startWorker();
    const id = await createAndLaunch([]);
    await waitForStatus(id, "done");

    const deliveries = deliveriesTo([...eligible, ...minors, ...outside, ...objectors]);
    expect(deliveries.size).toBe(500);
    expect([...deliveries.values()].every((count) => count === 1)).toBe(true);
    expect(eligible.every((email) => deliveries.get(email) === 1)).toBe(true);

    const links = testContext.sink.messages
      .filter((message) => eligible.includes(recipientOf(message)))
      .map((message) => ({ to: recipientOf(message), token: message.text?.match(/\/o\/([A-Za-z0-9_-]{72})/)?.[1] ?? "" }));
    expect(new Set(links.map((link) => link.token)).size).toBe(500);
    for (const { to, token } of links) {
      const verified = verifyLinkToken({ token, secrets: [TEST_ENV.LINK_SECRET] });
      expect(verified.ok && verified.subject.kind).toBe("notification");
      if (!verified.ok) continue;
      const owner = await testContext.pool.query(`SELECT m.email FROM "Notification" n JOIN "Member" m ON m.id = n."memberId" WHERE n.id = $1 AND n."campaignId" = $2`, [verified.subject.id, id]);
      expect(owner.rows[0]?.email).toBe(to);
    }

    const german = testContext.sink.messages.find((message) => recipientOf(message).startsWith(`${prefix}-de-`));
    expect(german?.subject).toBe(de.emails.notice.subject.replace("{brand}", TEST_ENV.BRAND_NAME));
    expect(await stats(id)).toMatchObject({ status: "done", total: 500, queued: 0, sent: 500, failed: 0, clicked: 0, objected: 0 });

    // A member opens their link and objects: the campaign counts the click (a click is also a notice
    // seen, so Seen is never below Clicked) and the objection.
    const token = links[0]?.token ?? "";
    const opened = await openPersonalLink({ actor: LINK_HOLDER, token });
    if (!opened.ok) throw new Error(`link did not resolve: ${opened.reason}`);
    const verified = verifyLinkTokenFor({ token, secrets: [TEST_ENV.LINK_SECRET], kinds: ["notification"] });
    if (!verified.ok) throw new Error("link did not verify");
    await submitObjection({ actor: LINK_HOLDER, subject: verified.subject, country: opened.link.member.country });
    expect(await stats(id)).toMatchObject({ sent: 500, seen: 1, clicked: 1, objected: 1 });
  });

  it("shares one campaign between two workers with no duplicate", async () => {
    const emails = await seedMembers({ pool: testContext.pool, prefix: `two-${randomUUID()}`, count: 600, country: "PL" });
    testContext.startWorker();
    testContext.startWorker();
    const id = await createAndLaunch(["PL"]);
    await waitForStatus(id, "done");
    const deliveries = deliveriesTo(emails);
    expect(deliveries.size).toBe(600);
    expect([...deliveries.values()].filter((count) => count > 1)).toEqual([]);
  });

  it("stops within one batch when paused, and finishes the rest when resumed", async () => {
    const emails = await seedMembers({ pool: testContext.pool, prefix: `pause-${randomUUID()}`, count: 500, country: "SE" });
    // One batch at a time, so "within one batch" is what the worker promises, however the two
    // slots' batches would line up at the moment of the pause.
    testContext.startWorker({ MAIL_RATE_PER_SEC: "100", WORKER_BATCH_CONCURRENCY: "1" });
    const id = await createAndLaunch(["SE"]);

    await waitUntil({ check: async () => (await stats(id)).sent >= 50, timeoutMs: 30_000, what: "the first emails" });
    expect((await callCampaignRoute(pauseRoute, { id })).status).toBe(202);
    const atPause = deliveriesTo(emails).size;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterPause = deliveriesTo(emails).size;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(deliveriesTo(emails).size).toBe(afterPause);
    expect(afterPause - atPause).toBeLessThanOrEqual(API_TEST_BATCH_SIZE);
    expect(afterPause).toBeLessThan(500);
    expect((await stats(id)).status).toBe("paused");

    expect((await callCampaignRoute(resumeRoute, { id })).status).toBe(202);
    await waitForStatus(id, "done");
    const deliveries = deliveriesTo(emails);
    expect(deliveries.size).toBe(500);
    expect([...deliveries.values()].filter((count) => count > 1)).toEqual([]);
  });
});

describe("a campaign whose send jobs run out of retries", () => {
  it("becomes failed with the reason, and recovers when resumed: every email arrives, none twice", async () => {
    const emails = await seedMembers({ pool: testContext.pool, prefix: `gave-up-${randomUUID()}`, count: 150, country: "CZ" });
    // A closed port: every send job fails at once. One retry (2 s to 4 s later), then it gives up.
    const closed = await startSmtpSink();
    await closed.stop();
    testContext.startWorker({ SMTP_URL: closed.url, CAMPAIGN_BATCH_RETRY_LIMIT: "1" });
    const id = await createAndLaunch(["CZ"]);

    await waitForStatus(id, "failed", 30_000);
    const failed = (await callCampaignRoute(statsRoute, { id })).json;
    expect(failed).toMatchObject({ status: "failed", total: 150, sent: 0, queued: 150 });
    expect(failed.failureReason).toMatch(/^Batch \d gave up after 2 attempts: SMTP unavailable: .*ECONNREFUSED/);
    expect(failed.failedAt).toEqual(expect.any(String));
    // Failed is where it stays: nothing runs it on, and it cannot be paused.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await stats(id)).status).toBe("failed");
    expect((await callCampaignRoute(pauseRoute, { id })).status).toBe(409);

    await testContext.stopWorkers();
    testContext.startWorker();
    expect((await callCampaignRoute(resumeRoute, { id })).status).toBe(202);
    const resumed = (await callCampaignRoute(statsRoute, { id })).json;
    expect(resumed).toMatchObject({ status: "running", failureReason: null, failedAt: null });
    await waitForStatus(id, "done");
    const deliveries = deliveriesTo(emails);
    expect(deliveries.size).toBe(150);
    expect([...deliveries.values()].filter((count) => count > 1)).toEqual([]);
  });

  it("fails a campaign whose audience job gave up (here: its worker died on the last try), and ignores a give-up that no longer stands", async () => {
    const emails = await seedMembers({ pool: testContext.pool, prefix: `audience-gave-up-${randomUUID()}`, count: 5, country: "DK" });
    const id = await createAndLaunch(["DK"]);
    const expired = { value: { message: "job failed by timeout in active state" } };

    // The audience job is still waiting: a dead letter about it is stale.
    expect(await recordCampaignFailure({ actor: systemActor(QUEUES.campaignFailed.name), campaignId: id, attempts: 11, output: expired })).toMatchObject({ failed: false });
    expect((await stats(id)).status).toBe("running");

    await testContext.pool.query(`UPDATE pgboss.job SET state = 'failed', completed_on = now() WHERE name = 'campaign-audience' AND data->>'campaignId' = $1`, [id]);
    expect(await recordCampaignFailure({ actor: systemActor(QUEUES.campaignFailed.name), campaignId: id, attempts: 11, output: expired })).toMatchObject({ failed: true });
    expect((await callCampaignRoute(statsRoute, { id })).json).toMatchObject({
      status: "failed",
      total: 0,
      failureReason: "The audience could not be computed after 11 attempts: job failed by timeout in active state",
    });

    // Resumed, it computes the audience again and sends.
    expect((await callCampaignRoute(resumeRoute, { id })).status).toBe(202);
    testContext.startWorker();
    await waitForStatus(id, "done");
    expect(deliveriesTo(emails).size).toBe(5);
    // A give-up read after the batch was sent changes nothing.
    expect(await recordCampaignFailure({ actor: systemActor(QUEUES.campaignFailed.name), campaignId: id, batch: 0, attempts: 61, output: { message: "SMTP unavailable" } })).toMatchObject({ failed: false });
    expect((await stats(id)).status).toBe("done");
  });
});
