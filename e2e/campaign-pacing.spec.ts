import { randomUUID } from "node:crypto";

import AxeBuilder from "@axe-core/playwright";

import { expect, test } from "./fixtures";

test("a running campaign whose emails wait for a paced domain says which domain, and how many emails are queued", async ({ page, db, asAdmin, createMember }) => {
  await asAdmin("viewer");
  // Outside the EEA, so no other campaign's audience takes them; no send job is enqueued, so nothing sends them.
  const members = [await createMember({ country: "US" }), await createMember({ country: "US" })];
  // As a worker records it when it holds emails back (MAIL_DOMAIN_RATES); this app has no rate for the domain.
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO "Campaign" (name, channels, countries, status, total, "launchedAt", "audienceAt", "pacedDomains", "pacedAt")
     VALUES ($1, '{email}', '{US}', 'running', 2, now(), now(), '{gmail.com}', now()) RETURNING id`,
    [`paced ${randomUUID()}`],
  );
  const campaignId = inserted.rows[0]!.id;
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
