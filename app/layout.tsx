import "./globals.css";

import type { Metadata, Viewport } from "next";
import { NextIntlClientProvider } from "next-intl";
import { getLocale, getMessages, getTranslations } from "next-intl/server";
import type { CSSProperties, ReactNode } from "react";

import { BrandProvider } from "@/components/brand-context";
import { brand } from "@/lib/branding/brand";

export const generateMetadata = async (): Promise<Metadata> => {
  const t = await getTranslations("common");
  const { name } = brand();
  return {
    title: { default: name, template: `%s · ${name}` },
    description: t("tagline"),
    icons: { icon: [{ url: "/favicon.ico", sizes: "48x48" }, { url: "/icon.svg", type: "image/svg+xml" }], apple: "/apple-touch-icon.png" },
    manifest: "/manifest.webmanifest",
  };
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

// What client components translate; the rest of the messages stay on the server rather than
// travel in every page's payload.
const CLIENT_NAMESPACES = ["form", "errors", "requestLink"] as const;

const RootLayout = async ({ children }: { children: ReactNode }) => {
  const locale = await getLocale();
  const messages = await getMessages();
  const clientMessages = Object.fromEntries(CLIENT_NAMESPACES.map((namespace) => [namespace, messages[namespace]]));
  const { name, logoUrl, color } = brand();
  return (
    <html lang={locale} style={{ "--primary": color } as CSSProperties}>
      <body>
        <NextIntlClientProvider messages={clientMessages}>
          <BrandProvider brand={{ name, logoUrl }}>{children}</BrandProvider>
        </NextIntlClientProvider>
      </body>
    </html>
  );
};

export default RootLayout;
