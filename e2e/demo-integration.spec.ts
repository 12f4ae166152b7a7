import { randomUUID } from "node:crypto";

import en from "../messages/en.json";
import { expect, test } from "./fixtures";
import { PLATFORM_AUTH as auth, platformMember as member } from "./platform-api-fixtures";

// The demo's mock platform app, fed through the platform API (moved from platform-api.spec.ts).

test.describe("the demo integration", () => {
  test("the mock platform app shows the in-app notice, fetched through the public API, and its link opens the form", async ({ request, page }) => {
    // A `%41` in the id: the page gets it decoded once and must not decode it again.
    const uuid = randomUUID();
    const externalId = `demo-${uuid}-%41`;
    const synced = await request.put("/api/v1/members", { headers: auth, data: { members: [member(externalId, { country: "EE", email: `demo-${uuid}@example.eu` })] } });
    expect(synced.status()).toBe(200);
    const { id } = (await (await request.post("/api/v1/campaigns", { headers: auth, data: { name: `demo ${externalId}`, channels: ["in_app"], countries: ["EE"] } })).json()) as { id: string };
    await request.post(`/api/v1/campaigns/${id}/launch`, { headers: auth });
    await expect(async () => {
      expect(await (await request.get(`/api/v1/members/${encodeURIComponent(externalId)}/notifications`, { headers: auth })).json()).toHaveLength(1);
    }).toPass({ timeout: 20_000 });

    await page.goto(`/demo/app/${encodeURIComponent(externalId)}`);
    await page.getByLabel(/Notifications: 1 new notification/).click();
    await expect(page.getByText(en.inApp.title)).toBeVisible();
    await page.getByRole("link", { name: en.inApp.action }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
  });

  test("answers 404 for an unknown member", async ({ page }) => {
    const response = await page.goto(`/demo/app/nobody-${randomUUID()}`);
    expect(response?.status()).toBe(404);
  });
});
