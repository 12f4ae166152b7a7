import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { systemActor } from "@/lib/auth/actor";
import { POST as createRoute } from "@/app/api/v1/campaigns/route";
import { GET as statsRoute } from "@/app/api/v1/campaigns/[id]/route";
import { POST as launchRoute } from "@/app/api/v1/campaigns/[id]/launch/route";
import { POST as pauseRoute } from "@/app/api/v1/campaigns/[id]/pause/route";
import { POST as resumeRoute } from "@/app/api/v1/campaigns/[id]/resume/route";
import { recordCampaignFailure } from "@/lib/campaigns/record-campaign-failure";
import { QUEUES } from "@/lib/jobs";
import { openPersonalLink } from "@/lib/links/open-personal-link";
import { verifyLinkToken, verifyLinkTokenFor } from "@/lib/links/token";
import { LINK_HOLDER, submitObjection } from "@/lib/objections/submit-objection";
import { deliveriesByRecipient, recipientOf, seedMembers, waitUntil } from "@/test/campaign-fixtures";
import { setupCampaignTestContext } from "@/test/campaign-test-context";
import { startSmtpSink } from "@/test/smtp-sink";
import { TEST_ENV } from "@/test/test-env";
import de from "@/messages/de.json";

const TOKEN = TEST_ENV.PLATFORM_API_TOKEN;
const BATCH_SIZE = 100;

const testContext = setupCampaignTestContext({
  databaseName: "objection_campaign",
  env: { CAMPAIGN_BATCH_SIZE: String(BATCH_SIZE), CAMPAIGN_BATCH_EXPIRE_SECONDS: "4", JOBS_MAINTENANCE_SECONDS: "1" },
});

const call = async (handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>, { id = "", body, token = TOKEN }: { id?: string; body?: unknown; token?: string | null } = {}) => {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const request = new Request("http://localhost/api/v1/campaigns", { method: "POST", headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  const response = await handler(request, { params: Promise.resolve({ id }) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};

const createAndLaunch = async (countries: string[]) => {
  const created = await call(createRoute, { body: { name: `test ${randomUUID()}`, channels: ["email"], countries } });
  expect(created.status).toBe(201);
  const id = String(created.json.id);
  expect((await call(launchRoute, { id })).status).toBe(202);
  return id;
};

const stats = async (id: string) =>
  (await call(statsRoute, { id })).json as { status: string; total: number; queued: number; sent: number; failed: number; clicked: number; objected: number };

const waitForStatus = (id: string, status: string, timeoutMs = 60_000) =>
  waitUntil({ check: async () => (await stats(id)).status === status, timeoutMs, what: `campaign ${id} to be ${status}` });

/** Messages the sink received for these addresses. */
const deliveriesTo = (emails: string[]) => {
  const wanted = new Set(emails);
  return deliveriesByRecipient(testContext.sink.messages.filter((message) => wanted.has(recipientOf(message))));
};

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

    // A member opens their link and objects: the campaign counts the click and the objection.
    const token = links[0]?.token ?? "";
    const opened = await openPersonalLink(token);
    if (!opened.ok) throw new Error(`link did not resolve: ${opened.reason}`);
    const verified = verifyLinkTokenFor({ token, secrets: [TEST_ENV.LINK_SECRET], kinds: ["notification"] });
    if (!verified.ok) throw new Error("link did not verify");
    await submitObjection({ actor: LINK_HOLDER, subject: verified.subject, country: opened.link.member.country });
    expect(await stats(id)).toMatchObject({ sent: 500, clicked: 1, objected: 1 });
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
    expect((await call(pauseRoute, { id })).status).toBe(202);
    const atPause = deliveriesTo(emails).size;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const afterPause = deliveriesTo(emails).size;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(deliveriesTo(emails).size).toBe(afterPause);
    expect(afterPause - atPause).toBeLessThanOrEqual(BATCH_SIZE);
    expect(afterPause).toBeLessThan(500);
    expect((await stats(id)).status).toBe("paused");

    expect((await call(resumeRoute, { id })).status).toBe(202);
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
    const failed = (await call(statsRoute, { id })).json;
    expect(failed).toMatchObject({ status: "failed", total: 150, sent: 0, queued: 150 });
    expect(failed.failureReason).toMatch(/^Batch \d gave up after 2 attempts: SMTP unavailable: .*ECONNREFUSED/);
    expect(failed.failedAt).toEqual(expect.any(String));
    // Failed is where it stays: nothing runs it on, and it cannot be paused.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect((await stats(id)).status).toBe("failed");
    expect((await call(pauseRoute, { id })).status).toBe(409);

    await testContext.stopWorkers();
    testContext.startWorker();
    expect((await call(resumeRoute, { id })).status).toBe(202);
    const resumed = (await call(statsRoute, { id })).json;
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
    expect((await call(statsRoute, { id })).json).toMatchObject({
      status: "failed",
      total: 0,
      failureReason: "The audience could not be computed after 11 attempts: job failed by timeout in active state",
    });

    // Resumed, it computes the audience again and sends.
    expect((await call(resumeRoute, { id })).status).toBe(202);
    testContext.startWorker();
    await waitForStatus(id, "done");
    expect(deliveriesTo(emails).size).toBe(5);
    // A give-up read after the batch was sent changes nothing.
    expect(await recordCampaignFailure({ actor: systemActor(QUEUES.campaignFailed.name), campaignId: id, batch: 0, attempts: 61, output: { message: "SMTP unavailable" } })).toMatchObject({ failed: false });
    expect((await stats(id)).status).toBe("done");
  });
});

describe("members who object after the launch", () => {
  it("are not sent the rest of the campaign: each email is checked as it is claimed, and the skipped ones are counted as such", async () => {
    const prefix = `late-${randomUUID()}`;
    const emails = await seedMembers({ pool: testContext.pool, prefix, count: 300, country: "PT" });
    testContext.startWorker({ MAIL_RATE_PER_SEC: "100", WORKER_BATCH_CONCURRENCY: "1" });
    const id = await createAndLaunch(["PT"]);

    await waitUntil({ check: async () => (await stats(id)).sent >= 20, timeoutMs: 30_000, what: "the first emails" });
    // Paused, and no chunk in flight, so the objections below land on notifications still queued.
    expect((await call(pauseRoute, { id })).status).toBe(202);
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

    expect((await call(resumeRoute, { id })).status).toBe(202);
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

describe("the campaign API", () => {
  it("rejects a missing or wrong token with 401", async () => {
    expect((await call(createRoute, { body: { name: "x", channels: ["email"] }, token: null })).status).toBe(401);
    expect((await call(createRoute, { body: { name: "x", channels: ["email"] }, token: "wrong-token" })).status).toBe(401);
    expect((await call(statsRoute, { id: randomUUID(), token: `${TOKEN}x` })).status).toBe(401);
  });

  it("rejects bad bodies with 422, naming each field and the reason", async () => {
    const response = await call(createRoute, { body: { name: "", channels: ["sms"], countries: ["US"] } });
    expect(response.status).toBe(422);
    const issues = (response.json.error as { issues: { field: string; reason: string }[] }).issues;
    expect(issues.map((issue) => issue.field).sort()).toEqual(["channels.0", "countries.0", "name"]);
    expect(issues.every((issue) => issue.reason.length > 10)).toBe(true);

    expect((await call(createRoute, { body: { channels: [] } })).status).toBe(422);
    expect((await call(createRoute, { body: "{not json" })).status).toBe(400);
  });

  it("answers 404 for an unknown campaign and 409 for a launch of a launched one", async () => {
    expect((await call(statsRoute, { id: randomUUID() })).status).toBe(404);
    expect((await call(launchRoute, { id: "not-a-uuid" })).status).toBe(404);
    const created = await call(createRoute, { body: { name: "twice", channels: ["email"], countries: ["LU"] } });
    const id = String(created.json.id);
    expect((await call(launchRoute, { id })).status).toBe(202);
    const again = await call(launchRoute, { id });
    expect(again.status).toBe(409);
    expect((again.json.error as { message: string }).message).toContain("only a draft can be launched");
    expect((await call(resumeRoute, { id })).status).toBe(409);
  });
});
