import { randomUUID } from "node:crypto";

import { afterAll, describe, expect, it } from "vitest";

import { noticePreviews } from "@/lib/campaigns/campaign-previews";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { sendCampaignTestEmail } from "@/lib/campaigns/send-campaign-test-email";
import { db } from "@/lib/db";
import { closePgPool, pgPool } from "@/lib/pg";
import { fileSmtpSink } from "@/test/file-smtp-sink";
import { loadMessages, supportedLocales } from "@/lib/i18n/locales";
import fr from "@/messages/fr.json";
import { TEST_ENV } from "@/test/test-env";
import { createAdmin } from "@/test/factories";

/** A message with the platform's name put in, as the email shows it. */
const branded = (message: string) => message.replace("{brand}", TEST_ENV.BRAND_NAME);

const smtp = fileSmtpSink();

afterAll(async () => {
  await closePgPool();
  await db().$disconnect();
});

describe("campaign previews and test emails", () => {
  it("previews the email (HTML and text) and the in-app notice in every language, with no member's link", async () => {
    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    const previews = await noticePreviews({ actor: viewer });
    expect(previews.map(({ locale }) => locale)).toEqual(supportedLocales());
    for (const preview of previews) {
      const messages = loadMessages(preview.locale);
      expect(preview.subject).toBe(branded(messages.emails.notice.subject));
      expect(preview.html).toContain(`lang="${preview.locale}"`);
      expect(preview.html).toContain("/o/preview");
      expect(preview.html).not.toContain("~~~");
      expect(preview.text).toContain(messages.emails.notice.button);
      expect(preview.inApp).toEqual(messages.inApp);
    }
  });

  it("sends the test email to the signed-in admin's own address only, audited with the language and no address; viewers are refused", async () => {
    const admin = await createAdmin({ db: pgPool(), role: "admin" });
    const { id } = await createCampaign({ actor: admin, campaign: { name: `test ${randomUUID()}`, channels: ["email"], countries: ["LI"] } });

    await sendCampaignTestEmail({ actor: admin, campaignId: id, locale: "fr" });
    const received = smtp.messagesTo(admin.email);
    expect(received).toHaveLength(1);
    expect(received[0]!.subject).toBe(`[Test] ${branded(fr.emails.notice.subject)}`);
    const audit = await db().auditEvent.findMany({ where: { actorId: admin.id, action: "campaign_test_email" } });
    expect(audit.map(({ targetId, detail }) => ({ targetId, detail }))).toEqual([{ targetId: id, detail: { locale: "fr" } }]);

    const viewer = await createAdmin({ db: pgPool(), role: "viewer" });
    await expect(sendCampaignTestEmail({ actor: viewer, campaignId: id, locale: "en" })).rejects.toMatchObject({ code: "forbidden" });
    await expect(sendCampaignTestEmail({ actor: admin, campaignId: id, locale: "xx" })).rejects.toMatchObject({ code: "invalid" });
    await expect(sendCampaignTestEmail({ actor: admin, campaignId: randomUUID(), locale: "en" })).rejects.toMatchObject({ code: "not_found" });
    expect(smtp.messages().filter((message) => message.subject?.startsWith("[Test]"))).toHaveLength(1);
  });
});
