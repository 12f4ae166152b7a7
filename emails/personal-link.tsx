import { Button, Heading, Hr, Section, Text } from "@react-email/components";
import { createTranslator } from "next-intl";

import type { TMessages } from "../lib/i18n/messages-type";

import { EmailLayout, emailStyles } from "./layout";
import en from "../messages/en.json";

export type TPersonalLinkProps = { locale: string; messages: TMessages; linkUrl: string };

export const personalLinkSubject = ({ locale, messages }: Pick<TPersonalLinkProps, "locale" | "messages">) =>
  createTranslator({ locale, messages, namespace: "emails.personalLink" })("subject");

export const PersonalLink = ({ locale, messages, linkUrl }: TPersonalLinkProps) => {
  const t = createTranslator({ locale, messages, namespace: "emails.personalLink" });
  return (
    <EmailLayout locale={locale} preview={t("preview")}>
      <Heading as="h1" style={emailStyles.heading}>
        {t("heading")}
      </Heading>
      <Text style={emailStyles.text}>{t("body")}</Text>
      <Section style={{ margin: "24px 0" }}>
        <Button href={linkUrl} style={emailStyles.button}>
          {t("button")}
        </Button>
      </Section>
      <Hr />
      <Text style={emailStyles.small}>{t("ignore")}</Text>
    </EmailLayout>
  );
};

PersonalLink.PreviewProps = {
  locale: "en",
  messages: en,
  linkUrl: "http://localhost:3000/o/preview-token",
} satisfies TPersonalLinkProps;

export default PersonalLink;
