import { Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TBrand } from "../lib/branding/brand";

import { EmailAction, EmailFooter, EmailHeading, EmailLayout, EmailSection, emailStyles, PREVIEW_BRAND } from "./layout";
import type { TMessages } from "../lib/i18n/messages-type";
import en from "../messages/en.json";

export type TObjectionNoticeProps = {
  locale: string;
  messages: TMessages;
  brand: TBrand;
  linkUrl: string;
  /** When AI training starts (TRAINING_STARTS_AT), already written in the locale; unset, the notice names no date. */
  trainingStartsOn?: string;
};

export const objectionNoticeSubject = ({ locale, messages, brand }: Pick<TObjectionNoticeProps, "locale" | "messages" | "brand">) =>
  createTranslator({ locale, messages, namespace: "emails.notice" })("subject", { brand: brand.name });

/** The campaign email. Rendered once per campaign and language with a placeholder link (see lib/campaigns). */
export const ObjectionNotice = ({ locale, messages, brand, linkUrl, trainingStartsOn }: TObjectionNoticeProps) => {
  const t = createTranslator({ locale, messages, namespace: "emails.notice" });
  return (
    <EmailLayout locale={locale} sender={{ brand, messages }} preview={t("preview", { brand: brand.name })}>
      <EmailHeading>{t("heading")}</EmailHeading>
      <Text style={emailStyles.text}>{t("intro", { brand: brand.name })}</Text>
      <EmailSection title={t("usedTitle")}>{t("used", { brand: brand.name })}</EmailSection>
      <EmailSection title={t("neverTitle")}>{t("never")}</EmailSection>
      <EmailSection title={t("rightTitle")}>{t("right")}</EmailSection>
      {trainingStartsOn && <Text style={emailStyles.text}>{t("trainingStarts", { date: trainingStartsOn })}</Text>}
      <EmailAction color={brand.color} href={linkUrl}>{t("button")}</EmailAction>
      <EmailFooter>{t("footer", { brand: brand.name })}</EmailFooter>
    </EmailLayout>
  );
};

ObjectionNotice.PreviewProps = {
  locale: "en",
  messages: en,
  brand: PREVIEW_BRAND,
  linkUrl: "http://localhost:3000/o/preview-token",
  trainingStartsOn: "March 1, 2027",
} satisfies TObjectionNoticeProps;

export default ObjectionNotice;
