import { Body, Button, Container, Head, Heading, Hr, Html, Img, Link, Preview, Section, Text } from "@react-email/components";
import { createTranslator } from "next-intl";
import type { ReactNode } from "react";

import type { TBrand } from "../lib/branding/brand";
import type { TMessages } from "../lib/i18n/messages-type";

/** Who sends the email and who answers for it (GDPR Art. 13), with the messages to say it in the reader's language. */
export type TEmailSender = { brand: TBrand; messages: TMessages };

/** For previews and tests: a made-up platform. */
export const PREVIEW_BRAND: TBrand = {
  name: "Example Social",
  color: "#1d4ed8",
  logoUrl: null,
  privacyNoticeUrl: "https://example.com/privacy",
  controllerName: "Example Social Europe Ltd",
  controllerAddress: "1 Example Square, 1000 Brussels, Belgium",
  dpo: { label: "dpo@example.com", href: "mailto:dpo@example.com" },
};

export const emailStyles = {
  body: {
    backgroundColor: "#f4f4f5",
    fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif",
    margin: 0,
    padding: "24px 0",
  },
  container: {
    backgroundColor: "#ffffff",
    borderRadius: "8px",
    margin: "0 auto",
    maxWidth: "560px",
    padding: "32px",
  },
  heading: {
    color: "#111827",
    fontSize: "24px",
    lineHeight: "32px",
    margin: "0 0 16px",
  },
  text: {
    color: "#1f2937",
    fontSize: "16px",
    lineHeight: "24px",
    margin: "0 0 16px",
  },
  small: {
    color: "#4b5563",
    fontSize: "14px",
    lineHeight: "20px",
    margin: "0 0 8px",
  },
  subheading: {
    color: "#111827",
    fontSize: "16px",
    fontWeight: 700,
    lineHeight: "24px",
    margin: "16px 0 4px",
  },
  brand: {
    color: "#111827",
    fontSize: "18px",
    fontWeight: 700,
    lineHeight: "32px",
    margin: "0 0 24px",
  },
  button: {
    backgroundColor: "#1d4ed8",
    borderRadius: "6px",
    color: "#ffffff",
    display: "inline-block",
    fontSize: "16px",
    fontWeight: 600,
    padding: "12px 20px",
    textDecoration: "none",
  },
} as const;

/** The platform's logo and name above the email, so it is clear at once who writes. */
const SenderHeader = ({ brand }: { brand: TBrand }) => (
  <Section style={{ margin: "0 0 24px" }}>
    {brand.logoUrl && (
      <Img
        src={brand.logoUrl}
        alt=""
        height={32}
        style={{
          display: "inline-block",
          height: "32px",
          marginRight: "8px",
          verticalAlign: "middle",
        }}
      />
    )}
    <span style={{ ...emailStyles.brand, verticalAlign: "middle" }}>{brand.name}</span>
  </Section>
);

/** Who answers for the data, the data protection officer and the privacy notice, below every email. */
const SenderFooter = ({ locale, sender: { brand, messages } }: { locale: string; sender: TEmailSender }) => {
  const t = createTranslator({ locale, messages, namespace: "emails.common" });
  return (
    <Section style={{ margin: "16px 0 0" }}>
      <Text style={emailStyles.small}>
        {t("controller", {
          name: `${brand.controllerName}, ${brand.controllerAddress}`,
        })}
      </Text>
      <Text style={emailStyles.small}>
        {t("dpo", { contact: brand.dpo.label })}
        {" · "}
        <Link href={brand.privacyNoticeUrl} style={{ color: "#1d4ed8" }}>
          {t("privacyNotice")}
        </Link>
      </Text>
    </Section>
  );
};

/** Every email: the sender's name on top and, for members, who answers for their data below. The admin console's own emails have no sender block. */
export const EmailLayout = ({ locale, preview, sender, children }: { locale: string; preview: string; sender?: TEmailSender; children: ReactNode }) => (
  <Html lang={locale}>
    {/* Phones' mail apps that show HTML as a web page lay it out at the screen's width, not 980 px. */}
    <Head>
      <meta name="viewport" content="width=device-width, initial-scale=1" />
    </Head>
    <Preview>{preview}</Preview>
    <Body style={emailStyles.body}>
      <Container style={emailStyles.container}>
        {sender && <SenderHeader brand={sender.brand} />}
        {children}
        {sender && <SenderFooter locale={locale} sender={sender} />}
      </Container>
    </Body>
  </Html>
);

export const EmailHeading = ({ children }: { children: ReactNode }) => (
  <Heading as="h1" style={emailStyles.heading}>
    {children}
  </Heading>
);

/** A titled paragraph: "What this covers", "Never used", … */
export const EmailSection = ({ title, children }: { title: string; children: ReactNode }) => (
  <>
    <Text style={emailStyles.subheading}>{title}</Text>
    <Text style={emailStyles.text}>{children}</Text>
  </>
);

/** The one button an email asks the reader to press, in the platform's colour (BRAND_COLOR) when it has one. */
export const EmailAction = ({ href, color = emailStyles.button.backgroundColor, children }: { href: string; color?: string; children: ReactNode }) => (
  <Section style={{ margin: "24px 0" }}>
    <Button href={href} style={{ ...emailStyles.button, backgroundColor: color }}>
      {children}
    </Button>
  </Section>
);

export const EmailFooter = ({ children }: { children: ReactNode }) => (
  <>
    <Hr />
    <Text style={emailStyles.small}>{children}</Text>
  </>
);
