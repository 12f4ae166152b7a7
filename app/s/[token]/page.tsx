import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";

import { ObjectionStatus, WithdrawConfirmation } from "@/components/objection-status";
import { SiteShell } from "@/components/site-shell";
import { openObjectionStatus } from "@/lib/objections/objection-status";

export const generateMetadata = async (): Promise<Metadata> => ({
  title: (await getTranslations("statusPage"))("metaTitle"),
  robots: { index: false, follow: false },
});

const StatusPage = async ({ params, searchParams }: PageProps<"/s/[token]">) => {
  const { token } = await params;
  const { step, error } = await searchParams;
  const opened = await openObjectionStatus(token);
  // Tampered, expired, malformed, unknown, or a token minted for another purpose: the friendly 404.
  if (!opened.ok) notFound();

  const { view } = opened;
  return (
    <SiteShell returnTo={`/s/${token}`} objectionClosed={view.status === "rejected"}>
      {step === "withdraw" && view.canWithdraw ? <WithdrawConfirmation token={token} retry={error === "retry"} /> : <ObjectionStatus view={view} token={token} />}
    </SiteShell>
  );
};

export default StatusPage;
