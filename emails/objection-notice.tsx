import { Button, Heading, Hr, Section, Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import { EmailLayout, emailStyles } from "./layout";
import type { TMessages } from "../lib/i18n/messages-type";
import en from "../messages/en.json";

export type TObjectionNoticeProps = { locale: string; messages: TMessages; linkUrl: string };

export const objectionNoticeSubject = ({ locale, messages }: Pick<TObjectionNoticeProps, "locale" | "messages">) =>
  createTranslator({ locale, messages, namespace: "emails.notice" })("subject");

/** The campaign email. Rendered once per campaign and language with a placeholder link (see lib/campaigns). */
export const ObjectionNotice = ({ locale, messages, linkUrl }: TObjectionNoticeProps) => {
  const t = createTranslator({ locale, messages, namespace: "emails.notice" });
  return (
    <EmailLayout locale={locale} preview={t("preview")}>
      <Heading as="h1" style={emailStyles.heading}>
        {t("heading")}
      </Heading>
      <Text style={emailStyles.text}>{t("intro")}</Text>
      <Text style={emailStyles.subheading}>{t("usedTitle")}</Text>
      <Text style={emailStyles.text}>{t("used")}</Text>
      <Text style={emailStyles.subheading}>{t("neverTitle")}</Text>
      <Text style={emailStyles.text}>{t("never")}</Text>
      <Text style={emailStyles.subheading}>{t("rightTitle")}</Text>
      <Text style={emailStyles.text}>{t("right")}</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={linkUrl} style={emailStyles.button}>
          {t("button")}
        </Button>
      </Section>
      <Hr />
      <Text style={emailStyles.small}>{t("footer")}</Text>
    </EmailLayout>
  );
};

ObjectionNotice.PreviewProps = {
  locale: "en",
  messages: en,
  linkUrl: "http://localhost:3000/o/preview-token",
} satisfies TObjectionNoticeProps;

export default ObjectionNotice;
