import type { APIRequestContext, Page, Request } from "@playwright/test";
import type pg from "pg";

import { createAdmin } from "../test/factories";
import { ADMIN_BASE_URL, signInAs } from "./admin-fixtures";
import { expectNoViolations } from "./axe";
import { countRows, expect, test, type TTestMember } from "./fixtures";

type TCapturedAction = { actionId: string; contentType: string; body: string };

/** An objection for the member, as their personal link would have stored it, with a reason. */
const createObjection = async (db: pg.Pool, member: TTestMember, reason: string) => {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "Objection" ("memberId", "notificationId", "campaignId", email, country, reason, source) VALUES ($1, $2, $5, $3, 'IE', $4, 'email_link') RETURNING id`,
    [member.id, member.notificationId, member.email, reason, member.campaignId],
  );
  return rows[0]!.id;
};

const detailUrl = (objectionId: string) => `${ADMIN_BASE_URL}/admin/objections/${objectionId}`;

/** The server action request a click sends: its action id and body, which another admin's cookies can replay. */
const captureAction = (request: Request): TCapturedAction => ({
  actionId: request.headers()["next-action"] ?? "",
  contentType: request.headers()["content-type"] ?? "text/plain;charset=UTF-8",
  body: request.postData() ?? "",
});

const isAction = (request: Request) => request.method() === "POST" && !!request.headers()["next-action"];

/**
 * Replays a captured server action with another session's cookies: what a hand-made POST does,
 * with no button involved. The server must refuse it on the role alone.
 */
const replayAction = (request: APIRequestContext, objectionId: string, action: TCapturedAction) =>
  request.post(detailUrl(objectionId), {
    headers: { "Next-Action": action.actionId, "Content-Type": action.contentType, Accept: "text/x-component", Origin: ADMIN_BASE_URL },
    data: action.body,
    maxRedirects: 0,
  });

const auditCount = (db: pg.Pool, objectionId: string, action: string, actorId: string) =>
  countRows(db, `SELECT count(*) FROM "AuditEvent" WHERE "targetType" = 'objection' AND "targetId" = $1 AND action = $2::"AuditAction" AND "actorId" = $3`, [objectionId, action, actorId]);

const openDetail = async (page: Page, objectionId: string) => {
  await page.goto(detailUrl(objectionId));
  await expect(page.getByRole("heading", { level: 1, name: /^Objection / })).toBeVisible();
};

test.describe("objection detail", () => {
  test("a reviewer reveals, notes and requests a rejection; the requester cannot approve; a second reviewer approves and the email with the reason arrives", async ({ page, browser, db, createMember, asAdmin, inbox }) => {
    const member = await createMember();
    const objectionId = await createObjection(db, member, "Please leave my holiday photos out.");
    const reviewer = await asAdmin("reviewer");

    await openDetail(page, objectionId);
    await expect(page.getByTestId("objection-email")).toHaveText("e•••@example.eu");
    await expect(page.getByText(member.email)).toHaveCount(0);
    await expect(page.getByText("Please leave my holiday photos out.")).toHaveCount(0);
    await expectNoViolations(page);

    // Reveal: the data appears once the action answers, and the audit trail has the reveal.
    await page.getByRole("button", { name: "Reveal personal data" }).click();
    await expect(page.getByTestId("objection-email")).toHaveText(member.email);
    await expect(page.getByTestId("objection-reason")).toHaveText("Please leave my holiday photos out.");
    expect(await auditCount(db, objectionId, "reveal", reviewer.id)).toBe(1);

    // A note lands on the timeline.
    await page.getByLabel("Note").fill("Checked the account: a real person.");
    await page.getByRole("button", { name: "Add note" }).click();
    await expect(page.getByTestId("timeline")).toContainText("Checked the account: a real person.");
    await expect(page.getByTestId("timeline")).toContainText(reviewer.email);
    expect(await auditCount(db, objectionId, "objection_note", reviewer.id)).toBe(1);

    // The rejection request waits for a second reviewer.
    const reason = "This account belongs to a company, not a person.";
    await page.getByRole("button", { name: "Reject…" }).click();
    await page.getByLabel("Reason (sent to the person)").fill(reason);
    await page.getByRole("button", { name: "Request rejection" }).click();
    await expect(page.getByText(`Rejection requested by ${reviewer.email}, waiting for a second reviewer`)).toBeVisible();
    await expect(page.getByTestId("pending-rejection-reason")).toHaveText(reason);
    const ownApprove = page.getByRole("button", { name: "Approve rejection" });
    await expect(ownApprove).toBeDisabled();
    await expect(page.getByText("You requested this rejection, so you cannot approve it")).toBeVisible();
    await expectNoViolations(page);

    // The second reviewer, in a browser of their own.
    const secondContext = await browser.newContext();
    const second = await createAdmin({ db, role: "reviewer", verified: true });
    await signInAs({ db, context: secondContext, admin: second });
    const secondPage = await secondContext.newPage();
    await openDetail(secondPage, objectionId);
    await expect(secondPage.getByRole("button", { name: "Approve rejection" })).toBeEnabled();

    // Take the approve action's request from the second reviewer's click (held back), and
    // replay it with the requester's cookies: the server refuses self-approval with 403.
    let held: TCapturedAction | undefined;
    await secondPage.route(detailUrl(objectionId), async (route) => {
      if (!isAction(route.request()) || held) return route.continue();
      held = captureAction(route.request());
      await route.abort();
    });
    await secondPage.getByRole("button", { name: "Approve rejection" }).click();
    await secondPage.getByRole("button", { name: "Approve and email the person" }).click();
    await expect.poll(() => held?.actionId).toBeTruthy();
    const selfApproval = await replayAction(page.request, objectionId, held!);
    expect(selfApproval.status()).toBe(403);
    expect((await db.query(`SELECT status FROM "Objection" WHERE id = $1`, [objectionId])).rows[0]?.status).toBe("effective");

    // Now for real.
    await secondPage.unrouteAll();
    await secondPage.reload();
    await secondPage.getByRole("button", { name: "Approve rejection" }).click();
    await secondPage.getByRole("button", { name: "Approve and email the person" }).click();
    await expect(secondPage.getByText("Rejection approved", { exact: false }).first()).toBeVisible();
    // The status badge beside the reference, the timeline's event and the status in the objection's card all say so.
    await expect(secondPage.getByText("Rejected", { exact: true })).toHaveCount(3);
    await expect.poll(async () => (await db.query(`SELECT status FROM "Objection" WHERE id = $1`, [objectionId])).rows[0]?.status).toBe("rejected");
    expect(await auditCount(db, objectionId, "objection_rejection_approve", second.id)).toBe(1);
    expect(await countRows(db, `SELECT count(*) FROM "ObjectionEvent" WHERE "objectionId" = $1 AND type = 'rejected' AND "actorId" = $2`, [objectionId, second.id])).toBe(1);

    const email = await inbox.waitForEmailTo(member.email, { subject: "Your objection to AI training was not accepted" });
    expect(email.text).toContain(reason);
    expect(email.text).toContain("object again");
    await secondContext.close();
  });

  test("a viewer sees masked data and no actions, and a direct POST of an action answers 403", async ({ page, browser, db, createMember, asAdmin }) => {
    const member = await createMember();
    const objectionId = await createObjection(db, member, "Not for training.");
    const viewer = await asAdmin("viewer");

    await openDetail(page, objectionId);
    await expect(page.getByTestId("objection-email")).toHaveText("e•••@example.eu");
    for (const name of ["Reveal personal data", "Reject…", "Mark as spam", "Add note"]) await expect(page.getByRole("button", { name })).toHaveCount(0);
    await expectNoViolations(page);

    // A reviewer's reveal gives the action's id and body; the viewer replays it with their own cookies.
    const reviewerContext = await browser.newContext();
    await signInAs({ db, context: reviewerContext, admin: await createAdmin({ db, role: "reviewer", verified: true }) });
    const reviewerPage = await reviewerContext.newPage();
    await openDetail(reviewerPage, objectionId);
    const [revealRequest] = await Promise.all([reviewerPage.waitForRequest(isAction), reviewerPage.getByRole("button", { name: "Reveal personal data" }).click()]);
    const reveal = captureAction(revealRequest);
    await reviewerContext.close();

    const response = await replayAction(page.request, objectionId, reveal);
    expect(response.status()).toBe(403);
    expect(await response.text()).not.toContain(member.email);
    expect(await auditCount(db, objectionId, "reveal", viewer.id)).toBe(0);
  });

  test("a reviewer matches an unmatched objection by external id and marks it as spam; it stays effective", async ({ page, db, createMember, asAdmin }) => {
    const member = await createMember();
    const { rows } = await db.query<{ id: string }>(`INSERT INTO "Objection" (email, country, source) VALUES ($1, 'FR', 'direct') RETURNING id`, [`someone-${Date.now()}@example.eu`]);
    const objectionId = rows[0]!.id;
    const reviewer = await asAdmin("reviewer");
    await openDetail(page, objectionId);

    await page.getByRole("button", { name: "Match to a member" }).click();
    await expect(page.getByRole("dialog", { name: "Match to a member" })).toBeVisible();
    await expectNoViolations(page);
    await page.getByLabel("Member external id").fill("no-such-member");
    await page.getByRole("button", { name: "Find member" }).click();
    await expect(page.getByText("No member has that external id.")).toBeVisible();
    const externalId = (await db.query<{ externalId: string }>(`SELECT "externalId" FROM "Member" WHERE id = $1`, [member.id])).rows[0]!.externalId;
    await page.getByLabel("Member external id").fill(externalId);
    await page.getByRole("button", { name: "Find member" }).click();
    // Another address and country than the objection's: the preview says so, and a reason is needed (admin-objection-guards.spec.ts).
    await page.getByLabel("Why is this the same person?").fill("Support confirmed the account.");
    await page.getByRole("button", { name: "Match", exact: true }).click();
    await expect(page.getByTestId("timeline")).toContainText("Matched to a member");
    expect(await auditCount(db, objectionId, "objection_match", reviewer.id)).toBe(1);
    // Now matched: the member's notices are listed.
    await expect(page.getByRole("table", { name: "Notices this member received" })).toBeVisible();

    await page.getByRole("button", { name: "Mark as spam" }).click();
    await expect(page.getByRole("dialog", { name: "Mark as spam?" })).toContainText("stays in the export");
    await page.getByRole("dialog").getByRole("button", { name: "Mark as spam" }).click();
    await expect(page.getByTestId("timeline")).toContainText("Marked as spam");
    const stored = (await db.query<{ status: string; spamAt: Date | null; memberId: string; country: string }>(`SELECT status, "spamAt", "memberId", country FROM "Objection" WHERE id = $1`, [objectionId])).rows[0]!;
    expect(stored).toMatchObject({ status: "effective", memberId: member.id, country: "FR" });
    expect(stored.spamAt).not.toBeNull();
    await expectNoViolations(page);
  });

  // The objections list's loading.tsx streams the console's shell first, so a notFound() thrown
  // by the detail page arrives after a 200 (Next marks such a page noindex); what matters is the
  // page that says so, and never a 500.
  test("a malformed or unknown id shows the not-found page, never a 500", async ({ page, asAdmin }) => {
    await asAdmin("viewer");
    for (const id of ["not-a-uuid", "00000000-0000-4000-8000-000000000000"]) {
      const response = await page.goto(`/admin/objections/${id}`);
      expect(response?.status()).toBeLessThan(500);
      await expect(page.getByRole("heading", { name: "Objection not found" })).toBeVisible();
    }
  });

  test.describe("on a phone (375 px wide)", () => {
    test.use({ viewport: { width: 375, height: 740 } });

    test("the detail page fits the screen; tables scroll inside their card", async ({ page, db, createMember, asAdmin }) => {
      const member = await createMember();
      const objectionId = await createObjection(db, member, "Small screen.");
      await asAdmin("reviewer");
      await openDetail(page, objectionId);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    });
  });
});
