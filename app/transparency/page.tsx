import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";

import { SiteShell } from "@/components/site-shell";
import { TransparencyReportView } from "@/components/transparency/transparency-report-view";
import { cachedTransparencyReport } from "@/lib/transparency/cached-transparency-report";
import { chosenReportMonth } from "@/lib/transparency/report-month";

export const generateMetadata = async (): Promise<Metadata> => ({ title: (await getTranslations("transparency"))("title") });

const TransparencyPage = async ({ searchParams }: { searchParams: Promise<{ month?: string | string[] }> }) => {
  const report = await cachedTransparencyReport();
  const month = chosenReportMonth({ report, requested: (await searchParams).month });
  return (
    <SiteShell returnTo="/transparency">
      <TransparencyReportView report={report} month={month} />
    </SiteShell>
  );
};

export default TransparencyPage;
