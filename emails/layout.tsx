import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export const emailStyles = {
  body: { backgroundColor: "#f4f4f5", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", borderRadius: "8px", margin: "0 auto", maxWidth: "560px", padding: "32px" },
  heading: { color: "#111827", fontSize: "24px", lineHeight: "32px", margin: "0 0 16px" },
  text: { color: "#1f2937", fontSize: "16px", lineHeight: "24px", margin: "0 0 16px" },
  small: { color: "#4b5563", fontSize: "14px", lineHeight: "20px", margin: "0 0 8px" },
  subheading: { color: "#111827", fontSize: "16px", fontWeight: 700, lineHeight: "24px", margin: "16px 0 4px" },
  button: { backgroundColor: "#1d4ed8", borderRadius: "6px", color: "#ffffff", display: "inline-block", fontSize: "16px", fontWeight: 600, padding: "12px 20px", textDecoration: "none" },
} as const;

export const EmailLayout = ({ locale, preview, children }: { locale: string; preview: string; children: ReactNode }) => (
  <Html lang={locale}>
    <Head />
    <Preview>{preview}</Preview>
    <Body style={emailStyles.body}>
      <Container style={emailStyles.container}>{children}</Container>
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

/** The one button an email asks the reader to press. */
export const EmailAction = ({ href, children }: { href: string; children: ReactNode }) => (
  <Section style={{ margin: "24px 0" }}>
    <Button href={href} style={emailStyles.button}>
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
