import type { Metadata } from "next";
import { getFormatter, getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";
import { brand } from "@/lib/branding/brand";

/** When the statement was last checked against the pages; change it with each review. */
const REVIEWED_ON = new Date("2026-11-30T12:00:00Z");

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("accessibilityPage"))("title") });

const AccessibilityPage = async () => {
  const t = await getTranslations("accessibilityPage");
  const format = await getFormatter();
  const { controllerName, controllerAddress, dpo } = brand();
  return (
    <SiteShell returnTo="/accessibility">
      <section className="stack" aria-labelledby="accessibility-title">
        <h1 id="accessibility-title">{t("title")}</h1>
        <p className="lead">{t("intro")}</p>
        <h2>{t("statusTitle")}</h2>
        <p>{t("status")}</p>
        <h2>{t("featuresTitle")}</h2>
        <p>{t("features")}</p>
        <h2>{t("limitsTitle")}</h2>
        <p>{t("limits")}</p>
        <h2>{t("feedbackTitle")}</h2>
        <p>{t("feedback")}</p>
        <address className="contact">
          {controllerName}, {controllerAddress}
          <br />
          <a href={dpo.href}>{dpo.label}</a>
        </address>
        <h2>{t("enforcementTitle")}</h2>
        <p>{t("enforcement")}</p>
        <p className="hint">{t("reviewed", { date: format.dateTime(REVIEWED_ON, { dateStyle: "long", timeZone: "UTC" }) })}</p>
      </section>
    </SiteShell>
  );
};

export default AccessibilityPage;
