import { randomUUID } from "node:crypto";

import AxeBuilder from "@axe-core/playwright";

import { createCampaign } from "../test/factories";
import { expect, test } from "./fixtures";

test("a running campaign whose emails wait for a paced domain says which domain, and how many emails are queued", async ({ page, db, asAdmin, createMember }) => {
  await asAdmin("viewer");
  // Outside the EEA, so no other campaign's audience takes them; no send job is enqueued, so nothing sends them.
  const members = [await createMember({ country: "US" }), await createMember({ country: "US" })];
  // As a worker records it when it holds emails back (MAIL_DOMAIN_RATES), here without a rate (as before rates were recorded).
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, total, "launchedAt", "audienceAt")
     VALUES ($1, '{email}', '{US}', 'running', 2, now(), now()) RETURNING id`,
    [`paced ${randomUUID()}`],
  );
  const campaignId = inserted.rows[0]!.id;
  await db.query(`INSERT INTO "CampaignPacing" ("campaignId", domain, "ratePerSecond", "waitedAt") VALUES ($1, 'gmail.com', NULL, now())`, [campaignId]);
  await db.query(`INSERT INTO "Notification" ("memberId", "campaignId", channel, status, batch) SELECT unnest($1::uuid[]), $2, 'email', 'queued', 0`, [members.map((member) => member.id), campaignId]);
  try {
    await page.goto(`/admin/campaigns/${campaignId}`);
    const notice = page.getByRole("status").filter({ hasText: "Paced by recipient domain" });
    await expect(notice).toBeVisible();
    await expect(page.getByTestId("campaign-pacing")).toHaveText("Waiting: gmail.com is paced; 2 emails queued.");
    const results = await new AxeBuilder({ page }).include('[role="status"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
    expect(results.violations.map(({ id }) => id)).toEqual([]);
  } finally {
    // Paused, so no later run counts it as running.
    await db.query(`UPDATE "Campaign" SET status = 'paused' WHERE id = $1`, [campaignId]);
  }
});

/** A campaign, paused as a whole (so resuming a domain enqueues nothing for this app's worker to send), that paused a recipient domain. */
const pausedDomainCampaign = async (db: import("pg").Pool) => {
  const { id: campaignId } = await createCampaign({ db, name: `domain pause ${randomUUID()}`, countries: ["US"], status: "paused", launchedAt: "now", audienceAt: "now" });
  const domain = `refusing-${randomUUID().slice(0, 8)}.example`;
  await db.query(
    `INSERT INTO "CampaignDomainPause" ("campaignId", domain, sent, rejected, "lastStatus", "lastDiagnostic") VALUES ($1, $2, 1200, 75, '5.7.1', '550 5.7.1 Service unavailable; client host blocked')`,
    [campaignId, domain],
  );
  return { campaignId, domain };
};

test("a campaign that paused a recipient domain for its rejections says why, and a viewer cannot resume it", async ({ page, db, asAdmin }) => {
  const { campaignId, domain } = await pausedDomainCampaign(db);
  await asAdmin("viewer");
  await page.goto(`/admin/campaigns/${campaignId}`);
  const warning = page.getByTestId("paused-domains");
  await expect(warning).toContainText(domain);
  await expect(warning).toContainText("75 refused of 1,200 sent within the hour");
  await expect(warning).toContainText("550 5.7.1 Service unavailable; client host blocked");
  await expect(warning.getByRole("button", { name: `Resume ${domain}` })).toHaveCount(0);
  const results = await new AxeBuilder({ page }).include('[data-testid="paused-domains"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map(({ id }) => id)).toEqual([]);
});

test("an admin resumes a paused recipient domain, and the resume is audited with the pause's figures", async ({ page, db, asAdmin }) => {
  const { campaignId, domain } = await pausedDomainCampaign(db);
  await asAdmin("admin");
  await page.goto(`/admin/campaigns/${campaignId}`);
  await page.getByRole("button", { name: `Resume ${domain}` }).click();
  await expect(page.getByTestId("paused-domains")).toHaveCount(0);
  const audited = await db.query(`SELECT detail FROM "AuditEvent" WHERE action = 'domain_resume' AND "targetId" = $1`, [campaignId]);
  expect(audited.rows).toEqual([{ detail: { domain, sent: 1200, rejected: 75, status: "5.7.1" } }]);
});
