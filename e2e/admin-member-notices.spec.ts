import { randomUUID } from "node:crypto";

import type { Page } from "@playwright/test";

import { encodeTimeIdCursor } from "../lib/pagination/time-id-cursor";
import { ADMIN_BASE_URL } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { expect } from "./fixtures";
import { type TNoticedMember, test } from "./member-notices-fixtures";

/** The two notices, as both pages show them: the bounced email with the relay's reply, and the seen in-app notice. */
const expectBothNotices = async (page: Page, member: TNoticedMember) => {
  const table = page.getByRole("table", { name: "Notices this member received" });
  await expect(table).toBeVisible();
  const rows = table.getByTestId("notice-row");
  await expect(rows).toHaveCount(2);
  const email = rows.filter({ hasText: member.relayReply });
  await expect(email).toContainText("Email");
  await expect(email).toContainText("Stopped emails");
  await expect(email).toContainText("Hard bounce");
  await expect(email).toContainText("5.1.1");
  await expect(email).toContainText("550 5.1.1 mailbox unknown");
  await expect(email).toContainText("1 soft bounce");
  await expect(email).toContainText("c0ffee1234");
  await expect(email.getByRole("link", { name: member.campaignName })).toBeVisible();
  const inApp = rows.filter({ hasText: "In-app" });
  await expect(inApp).toContainText("Seen");
  await expect(inApp).not.toContainText("Hard bounce");
  await expect(page.getByText(member.email)).toHaveCount(0);
};

const horizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe("a member's notices in the console", () => {
  test("a viewer finds a member by external id and sees both notices, the suppression and the objection; the objection page shows the same notices", async ({ page, asAdmin, createNoticedMember }) => {
    const member = await createNoticedMember({ reason: "hard_bounce" });
    await asAdmin("viewer");

    await page.goto(`${ADMIN_BASE_URL}/admin/members`);
    await page.getByLabel("External id (exact)").fill(member.externalId);
    await page.getByRole("button", { name: "Find member" }).click();
    await expect(page).toHaveURL(`${ADMIN_BASE_URL}/admin/members/${member.id}`);
    await expect(page.getByRole("heading", { level: 1, name: "Member" })).toBeVisible();
    await expect(page.getByTestId("member-external-id")).toHaveText(member.externalId);
    await expect(page.getByTestId("member-email")).toHaveText("e•••@example.eu");
    await expect(page.getByTestId("suppression")).toContainText("Suppressed since");
    await expect(page.getByTestId("suppression").getByRole("link", { name: `Email, ${member.campaignName}` })).toHaveAttribute("href", `#notice-${member.emailNoticeId}`);
    // Lifting a suppression is a reviewer's.
    await expect(page.getByRole("form", { name: "Lift this suppression" })).toHaveCount(0);
    await expectBothNotices(page, member);
    await expectNoViolations(page);

    await page.getByTestId("member-objections").getByRole("link").click();
    await expect(page).toHaveURL(`${ADMIN_BASE_URL}/admin/objections/${member.objectionId}`);
    await expect(page.getByRole("heading", { level: 1, name: /^Objection / })).toBeVisible();
    await expectBothNotices(page, member);
    await expect(page.getByTestId("suppression")).toContainText("Suppressed since");
    await expectNoViolations(page);

    await page.getByRole("link", { name: "Open the member page" }).click();
    await expect(page).toHaveURL(`${ADMIN_BASE_URL}/admin/members/${member.id}`);
  });

  test("a suppression appears on the suppressions page, filtered by its reason, and links to the member", async ({ page, asAdmin, createNoticedMember }) => {
    const member = await createNoticedMember({ reason: "unsubscribe" });
    await asAdmin("viewer");

    await page.goto(`${ADMIN_BASE_URL}/admin/suppressions`);
    await expect(page.getByRole("heading", { level: 1, name: "Suppressions" })).toBeVisible();
    await page.getByLabel("Reason").selectOption("unsubscribe");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/\/admin\/suppressions\?reason=unsubscribe$/);
    await expect(page.getByRole("table", { name: "Members whose email notices are stopped" }).getByText("Hard bounce")).toHaveCount(0);

    // The list runs newest first: open it just before this member, as "next page" would.
    await page.goto(`${ADMIN_BASE_URL}/admin/suppressions?reason=unsubscribe&after=${member.floor}`);
    const row = page.getByRole("row").filter({ hasText: member.externalId });
    await expect(row).toContainText("Stopped these emails");
    await expect(row.getByRole("link", { name: member.campaignName })).toBeVisible();
    await expectNoViolations(page);
    await page.goto(`${ADMIN_BASE_URL}/admin/suppressions?reason=complaint&after=${member.floor}`);
    await expect(page.getByText(member.externalId)).toHaveCount(0);

    await page.goto(`${ADMIN_BASE_URL}/admin/suppressions?after=${member.floor}`);
    await page.getByRole("link", { name: member.externalId }).click();
    await expect(page).toHaveURL(`${ADMIN_BASE_URL}/admin/members/${member.id}`);
    await expect(page.getByTestId("suppression")).toContainText("stop these emails");
  });

  test("a reviewer lifts a hard bounce with a reason; the member page no longer shows it, and the audit log has it", async ({ page, asAdmin, createNoticedMember }) => {
    const member = await createNoticedMember({ reason: "hard_bounce" });
    await asAdmin("reviewer");
    await page.goto(`${ADMIN_BASE_URL}/admin/members/${member.id}`);
    const form = page.getByRole("form", { name: "Lift this suppression" });
    await form.getByRole("button", { name: "Lift suppression" }).click();
    await expect(form.getByText("Pick why you lift it")).toBeVisible();
    await expectNoViolations(page);
    await form.getByLabel("Why lift it").selectOption("sending_side_fault");
    await form.getByRole("button", { name: "Lift suppression" }).click();
    await expect(page.getByTestId("suppression")).toHaveCount(0);
    await expect(page.getByText(/Emails stopped/)).toHaveCount(0);

    await page.goto(`${ADMIN_BASE_URL}/admin/audit?action=suppression_lift`);
    // The audit log names the member by their external id, as people do, not by an id fragment.
    await expect(page.getByRole("row").filter({ hasText: `Member ${member.externalId}` })).toContainText("reason: sending_side_fault");
  });

  test("empty states: a member without notices, an unknown member id, the end of the suppressions list", async ({ page, asAdmin, createQuietMember }) => {
    const member = await createQuietMember();
    await asAdmin("viewer");

    await page.goto(`${ADMIN_BASE_URL}/admin/members/${member.id}`);
    await expect(page.getByTestId("member-external-id")).toHaveText(member.externalId);
    await expect(page.getByText("No notices yet")).toBeVisible();
    await expect(page.getByText("No objection", { exact: true }).first()).toBeVisible();
    await expect(page.getByTestId("suppression")).toHaveCount(0);
    await expectNoViolations(page);

    await page.goto(`${ADMIN_BASE_URL}/admin/members/${randomUUID()}`);
    await expect(page.getByRole("heading", { level: 1, name: "Member not found" })).toBeVisible();
    await page.goto(`${ADMIN_BASE_URL}/admin/members/not-a-uuid`);
    await expect(page.getByRole("heading", { level: 1, name: "Member not found" })).toBeVisible();

    await page.goto(`${ADMIN_BASE_URL}/admin/suppressions?after=${encodeTimeIdCursor({ at: new Date("2000-01-01T00:00:00.000Z"), id: randomUUID() })}`);
    await expect(page.getByText("No more suppressions")).toBeVisible();
    await expect(page.getByRole("link", { name: "First page" })).toBeVisible();
    // A broken cursor (here a bare member id, as the list's links once were) is said, and the first page shown.
    await page.goto(`${ADMIN_BASE_URL}/admin/suppressions?after=${randomUUID()}`);
    await expect(page.getByRole("alert").filter({ hasText: "This page link is broken" })).toBeVisible();
    await expect(page.getByRole("link", { name: "First page" })).toHaveCount(0);
  });

  test.describe("on a phone (375 px wide)", () => {
    test.use({ viewport: { width: 375, height: 740 }, hasTouch: true, isMobile: true });

    test("the member and suppressions pages do not scroll sideways: the tables scroll inside their boxes", async ({ page, asAdmin, createNoticedMember }) => {
      const member = await createNoticedMember({ reason: "complaint" });
      await asAdmin("viewer");
      for (const path of [`/admin/members/${member.id}`, `/admin/objections/${member.objectionId}`, `/admin/suppressions?after=${member.floor}`, "/admin/members"]) {
        await page.goto(`${ADMIN_BASE_URL}${path}`);
        await expect(page.locator("h1")).toBeVisible();
        expect(await horizontalOverflow(page), path).toBeLessThanOrEqual(0);
      }
    });
  });
});
