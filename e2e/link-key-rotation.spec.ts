import { createHmac } from "node:crypto";

import en from "../messages/en.json";
import { mintLinkToken, type TLinkSubject } from "../lib/links/token";
import { expect, test } from "./fixtures";

// The app runs mid-rotation (e2e/global-setup.ts): LINK_SECRETS lists the current key, then the
// previous one. Links emailed before the rotation were signed with the previous key.
const previousKey = () => process.env.E2E_PREVIOUS_LINK_SECRET ?? "";

const inThirtyDays = () => new Date(Date.now() + 30 * 86_400_000);

const mintWith = (secret: string, subject: TLinkSubject) => mintLinkToken({ subject, expiresAt: inThirtyDays(), secret });

/** A token as the first release minted them, before tokens named their key: version | kind | uuid | expiry | HMAC-SHA256. */
const mintVersion1 = (secret: string, subject: { kind: "notification"; id: string }) => {
  const payload = Buffer.alloc(22);
  payload.writeUInt8(1, 0);
  payload.writeUInt8(0, 1);
  Buffer.from(subject.id.replaceAll("-", ""), "hex").copy(payload, 2);
  payload.writeUInt32BE(Math.floor(inThirtyDays().getTime() / 1000), 18);
  return Buffer.concat([payload, createHmac("sha256", secret).update(payload).digest()]).toString("base64url");
};

test.describe("rotating the link key", () => {
  test("a link signed with the previous key still works", async ({ page, createMember, db }) => {
    const member = await createMember({ country: "FI" });
    const response = await page.goto(`/o/${mintWith(previousKey(), { kind: "notification", id: member.notificationId })}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
    await expect(page.getByLabel(en.form.country)).toHaveValue("FI");

    await page.getByRole("button", { name: en.form.submit }).click();
    await expect(page.getByRole("heading", { level: 1, name: en.confirmation.title })).toBeVisible();
    const stored = await db.query<{ id: string }>(`SELECT id FROM "Objection" WHERE "memberId" = $1 AND status = 'effective'`, [member.id]);
    expect(stored.rows).toHaveLength(1);

    // A receipt sent before the rotation: its status link, signed with the previous key, opens too.
    const status = await page.goto(`/s/${mintWith(previousKey(), { kind: "objection", id: stored.rows[0]!.id })}`);
    expect(status?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: en.statusPage.titleEffective })).toBeVisible();
    await expect(page.getByRole("link", { name: en.statusPage.withdrawButton })).toBeVisible();
  });

  test("a link minted before tokens named their key still opens, whichever listed key signed it", async ({ page, createMember }) => {
    for (const secret of [process.env.E2E_LINK_SECRET ?? "", previousKey()]) {
      const member = await createMember();
      const response = await page.goto(`/o/${mintVersion1(secret, { kind: "notification", id: member.notificationId })}`);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1, name: en.form.title })).toBeVisible();
    }
  });

  test("a link signed with a key no longer listed gets the friendly page", async ({ page, createMember }) => {
    const member = await createMember();
    const retired = "a-retired-link-key-no-longer-in-LINK_SECRETS";
    for (const token of [mintWith(retired, { kind: "notification", id: member.notificationId }), mintVersion1(retired, { kind: "notification", id: member.notificationId })]) {
      const response = await page.goto(`/o/${token}`);
      expect(response?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: en.invalidLink.title })).toBeVisible();
    }
  });
});
