import { Webhook } from "standardwebhooks";

import { startWebhookReceiver, webhookBodyOf } from "../test/webhook-receiver";
import { expectNoViolations } from "./axe";
import { auditCount, expect, test } from "./fixtures";

test.describe("admin console: webhooks", () => {
  test("an admin adds an endpoint, tests it, replays a failed delivery, and removes it, every step audited", async ({ page, db, asAdmin }) => {
    const admin = await asAdmin("admin");
    const receiver = await startWebhookReceiver();
    // Other tests' withdrawals may reach this endpoint while it exists: the checks look at tests only.
    const tests = () => receiver.received.filter((delivery) => webhookBodyOf(delivery).type === "webhook.test");
    try {
      await page.goto("/admin/webhooks");
      await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
      await page.getByRole("button", { name: "Add an endpoint" }).click();
      await page.getByLabel("Receiver URL").fill(receiver.url);
      await page.getByRole("checkbox", { name: /objection\.effective/ }).uncheck();
      await page.getByRole("button", { name: "Add endpoint" }).click();
      const secret = (await page.getByTestId("webhook-secret").textContent()) ?? "";
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
      await expectNoViolations(page);
      await page.getByRole("link", { name: /Open the endpoint/ }).click();
      await expect(page.getByRole("heading", { level: 1, name: receiver.url })).toBeVisible();
      await expect(page.getByText("No deliveries yet")).toBeVisible();

      // A test reaches the receiver, signed with the secret shown once, and the console says how it went.
      await page.getByRole("button", { name: "Send a test" }).click();
      await expect(page.getByRole("status").filter({ hasText: /^Test delivered: HTTP 200 in \d+ ms\.$/ })).toBeVisible();
      expect(tests()).toHaveLength(1);
      const [delivered] = tests();
      expect(() => new Webhook(secret).verify(delivered!.body, delivered!.headers as Record<string, string>)).not.toThrow();

      // A receiver that fails: the test says so, the delivery is listed as retrying, and a replay sends it again at once.
      receiver.answerWith(503);
      await page.getByRole("button", { name: "Send a test" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "Test not delivered: HTTP 503" })).toBeVisible();
      const testRows = page.getByTestId("webhook-delivery").filter({ hasText: "webhook.test" });
      const retrying = testRows.filter({ hasText: "Retrying" });
      await expect(retrying).toHaveCount(1);
      await expect(retrying).toContainText("HTTP 503");
      await expectNoViolations(page);
      await retrying.getByRole("button", { name: /^Replay delivery/ }).click();
      await expect(retrying.getByRole("status")).toHaveText("Queued again");
      expect(await auditCount(db, admin.id, "webhook_replay")).toBe(1);

      // The receiver is back: "replay all failed" sends what is left at once.
      receiver.answerWith(200);
      await page.getByRole("button", { name: "Replay all failed" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Every failed delivery queued again." })).toBeVisible();
      await expect.poll(() => tests().at(-1)?.answered).toBe(200);
      await page.reload();
      await expect(testRows.filter({ hasText: "Delivered" })).toHaveCount(2);

      await page.getByRole("button", { name: "Remove", exact: true }).click();
      await page.getByRole("button", { name: "Remove endpoint" }).click();
      await expect(page).toHaveURL(/\/admin\/webhooks$/);
      await expect(page.getByRole("link", { name: receiver.url })).toHaveCount(0);

      for (const [action, count] of [["webhook_create", 1], ["webhook_test", 2], ["webhook_replay", 2], ["webhook_delete", 1]] as const) {
        expect(await auditCount(db, admin.id, action)).toBe(count);
      }
    } finally {
      await receiver.close();
    }
  });

  test("a viewer is not shown Webhooks, and its page answers 403", async ({ page, asAdmin }) => {
    await asAdmin("viewer");
    await page.goto("/admin");
    await expect(page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Webhooks" })).toHaveCount(0);
    const response = await page.goto("/admin/webhooks");
    expect(response?.status()).toBe(403);
  });
});
