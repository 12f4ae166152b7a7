import "server-only";

import { assertRole, type TActor } from "@/lib/auth/actor";
import { noticeContent, noticeTemplate } from "@/lib/campaigns/notice-renderer";
import { supportedLocales } from "@/lib/i18n/locales";
import { translatorFor } from "@/lib/i18n/translator";

/** The notice does not depend on the campaign: one cached template per language serves every preview. */
export const PREVIEW_TEMPLATE_KEY = "console-preview";

/** Stands in for a member's token: the preview's button opens the "link not valid" page, never someone's form. */
export const PREVIEW_TOKEN = "preview";

export type TNoticePreview = { locale: string; subject: string; html: string; text: string; inApp: { title: string; body: string; action: string } };

/** The email (exactly the template a campaign sends) and the in-app notice, in every language offered. */
export const noticePreviews = async ({ actor }: { actor: TActor }): Promise<TNoticePreview[]> => {
  assertRole(actor, "viewer");
  return Promise.all(
    supportedLocales().map(async (locale) => {
      const template = await noticeTemplate({ campaignId: PREVIEW_TEMPLATE_KEY, locale });
      const t = translatorFor(locale);
      return { locale, ...noticeContent({ template, token: PREVIEW_TOKEN }), inApp: { title: t("inApp.title"), body: t("inApp.body"), action: t("inApp.action") } };
    }),
  );
};
