import "server-only";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { assertRole } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import { PREVIEW_TEMPLATE_KEY, PREVIEW_TOKEN } from "@/lib/campaigns/campaign-previews";
import { noticeContent, noticeTemplate } from "@/lib/campaigns/notice-renderer";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { db } from "@/lib/db";
import { isSupportedLocale } from "@/lib/i18n/locales";
import { sendEmail } from "@/lib/mail";

/**
 * The campaign's email in one language, to the signed-in admin's own address (read from the
 * database, never from the form), with a placeholder link. Audited with the language only.
 */
export const sendCampaignTestEmail = async ({ actor, campaignId, locale }: { actor: TAdminActor; campaignId: string; locale: string }) => {
  assertRole(actor, "admin");
  if (!isSupportedLocale(locale)) throw new AppError("invalid", { message: "Choose one of the offered languages." });
  const id = ZCampaignId.safeParse(campaignId);
  const campaign = id.success ? await db().campaign.findUnique({ where: { id: id.data }, select: { id: true } }) : null;
  if (!campaign) throw new AppError("not_found", { message: "No campaign has this id." });
  const admin = await db().adminUser.findUniqueOrThrow({ where: { id: actor.id }, select: { email: true } });

  const template = await noticeTemplate({ campaignId: PREVIEW_TEMPLATE_KEY, locale });
  const { subject, html, text } = noticeContent({ template, token: PREVIEW_TOKEN });
  try {
    await sendEmail({ to: admin.email, subject: `[Test] ${subject}`, html, text });
  } catch {
    throw new AppError("conflict", { message: "The mail server did not take the test email. Try again in a minute." });
  }
  await recordAuditEvent(db(), { actor, action: "campaign_test_email", target: { type: "campaign", id: campaign.id }, detail: { locale } });
};
