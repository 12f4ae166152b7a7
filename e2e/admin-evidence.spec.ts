import { createHash, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";

import { readZipEntries } from "../test/evidence-fixtures";
import { createCampaign, createMember, createNotification } from "../test/factories";
import { expectNoViolations } from "./axe";
import { auditCount, expect, test } from "./fixtures";

// A campaign's evidence pack from the console, through the production build: the link on the
// campaign's page, the browser's download, and the roles. The ZIP's content is checked in depth by
// lib/evidence/evidence-pack.test.ts; here, that the real server streams a whole, signed pack.

/** A done campaign with two sent email notices; no objection (the nightly export's specs count every objection). */
const campaignWithNotices = async (db: import("pg").Pool) => {
  const campaign = await createCampaign({ db, name: `evidence ${randomUUID()}`, channels: ["email"], status: "done", total: 2, launchedAt: "now", audienceAt: "now", completedAt: "now" });
  const members = [await createMember({ db, externalId: `e2e-ev-${randomUUID()}` }), await createMember({ db, externalId: `e2e-ev-${randomUUID()}` })];
  for (const member of members) await createNotification({ db, memberId: member.id, campaignId: campaign.id });
  return { campaign, members };
};

const sidewaysScroll = (page: import("@playwright/test").Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** axe on a campaign's page, its email preview (a sandboxed frame) checked as an element. */
const expectNoViolationsAroundPreview = (page: import("@playwright/test").Page) => expectNoViolations(page, { exclude: "iframe[sandbox]" });

test.describe("admin console: a campaign's evidence pack", () => {
  test("a reviewer downloads the pack from the campaign's page: a whole ZIP whose files match the manifest, no address in it, audited", async ({ page, db, asAdmin }) => {
    const reviewer = await asAdmin("reviewer");
    const { campaign, members } = await campaignWithNotices(db);
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`/admin/campaigns/${campaign.id}`);
    await expect(page.getByRole("heading", { name: "Evidence pack" })).toBeVisible();
    expect(await sidewaysScroll(page)).toBeLessThanOrEqual(0);
    await expectNoViolationsAroundPreview(page);

    const downloading = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download evidence pack" }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`campaign-${campaign.id}-evidence.zip`);
    const zip = readFileSync((await download.path())!);
    const entries = await readZipEntries(zip);
    expect(entries.map((entry) => entry.name)).toEqual(["notices.csv", "summary.json", "audit.jsonl", "manifest.json"]);
    const manifest = JSON.parse(entries[3]!.data.toString("utf8")) as { campaignId: string; files: { name: string; sha256: string }[] };
    expect(manifest.campaignId).toBe(campaign.id);
    for (const file of manifest.files) expect(createHash("sha256").update(entries.find((entry) => entry.name === file.name)!.data).digest("hex"), file.name).toBe(file.sha256);
    const notices = entries[0]!.data.toString("utf8");
    for (const member of members) {
      expect(notices).toContain(member.externalId);
      expect(notices).not.toContain(member.email);
    }
    expect(await auditCount(db, reviewer.id, "evidence_download")).toBe(1);
  });

  test("a viewer is told who can download it, and the URL answers 403", async ({ page, db, asAdmin }) => {
    const viewer = await asAdmin("viewer");
    const { campaign } = await campaignWithNotices(db);
    await page.goto(`/admin/campaigns/${campaign.id}`);
    await expect(page.getByText("Reviewers and admins can download it.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Download evidence pack" })).toHaveCount(0);
    const refused = await page.request.get(`/admin/campaigns/${campaign.id}/evidence`);
    expect(refused.status()).toBe(403);
    expect(await auditCount(db, viewer.id, "evidence_download")).toBe(0);
  });
});
