import type { Metadata } from "next";
import Link from "next/link";

import { CampaignPanel } from "@/app/admin/(console)/campaigns/[id]/_components/campaign-panel";
import { CHANNEL_LABELS, countriesLabel } from "@/components/admin/campaigns/campaign-labels";
import { CampaignProgress } from "@/components/admin/campaigns/campaign-progress";
import { CampaignStatusBadge } from "@/components/admin/campaigns/campaign-status-badge";
import { NoticePreviews } from "@/app/admin/(console)/campaigns/[id]/_components/notice-previews";
import { ConsoleTime } from "@/components/admin/console-time";
import { Card, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdminPage } from "@/lib/auth/require-admin-page";
import { hasRole } from "@/lib/auth/roles";
import { audienceEstimate } from "@/lib/campaigns/audience-estimate";
import { noticePreviews } from "@/lib/campaigns/campaign-previews";
import { followUpOf } from "@/lib/campaigns/follow-up-of";
import { listDomainPauses } from "@/lib/campaigns/list-domain-pauses";
import { campaignWithStats } from "@/lib/campaigns/list-campaigns";
import { orNotFound } from "@/lib/errors/or-not-found";
import { EVIDENCE_ROLE } from "@/lib/evidence/download-evidence-pack";

import { EvidencePack } from "./_components/evidence-pack";
import { PausedDomains } from "./_components/paused-domains";

export const metadata: Metadata = { title: "Campaign" };

const CampaignPage = async ({ params }: { params: Promise<{ id: string }> }) => {
  const admin = await requireAdminPage("viewer");
  const { id } = await params;
  // A malformed or unknown id is a 404, never a 500 (campaignWithStats validates the uuid).
  const campaign = await orNotFound(campaignWithStats({ actor: admin, campaignId: id }));
  const isAdmin = hasRole(admin, "admin");
  const followUp = await followUpOf({ actor: admin, campaignId: campaign.id });
  const [previews, audience, paused] = await Promise.all([
    noticePreviews({ actor: admin }),
    // The counters' estimate, at once: the exact count (a scan of the members) only when asked.
    campaign.status === "draft" && isAdmin ? audienceEstimate({ actor: admin, countries: campaign.countries, notReachedBy: followUp?.id, campaignId: campaign.id }) : Promise.resolve(null),
    listDomainPauses({ actor: admin, campaignId: campaign.id }),
  ]);

  return (
    <>
      <PageHeader
        title={campaign.name}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <CampaignStatusBadge status={campaign.status} />
            <span>{campaign.channels.map((channel) => CHANNEL_LABELS[channel] ?? channel).join(" and ")}</span>
            <span aria-hidden>·</span>
            <span>{countriesLabel(campaign.countries)}</span>
            {followUp ? (
              <>
                <span aria-hidden>·</span>
                <span>
                  Follow-up to{" "}
                  <Link href={`/admin/campaigns/${followUp.id}`} className="text-blue-800 underline">
                    {followUp.name}
                  </Link>
                  : only members it did not reach
                </span>
              </>
            ) : null}
            {campaign.onlyNotYetReached ? (
              <>
                <span aria-hidden>·</span>
                <span>Only members no earlier campaign reached</span>
              </>
            ) : null}
            <span aria-hidden>·</span>
            <span>
              Created <ConsoleTime value={campaign.createdAt} />
            </span>
          </span>
        }
      />
      <div className="space-y-6">
        <PausedDomains campaignId={campaign.id} paused={paused} canResume={isAdmin} />
        <Card>
          <CardTitle>Progress</CardTitle>
          <CampaignPanel
            campaign={{ id: campaign.id, status: campaign.status, countries: campaign.countries, notReachedBy: followUp?.id ?? null, onlyNotYetReached: campaign.onlyNotYetReached }}
            estimate={audience}
            followUp={!!followUp}
            isAdmin={isAdmin}
          >
            <CampaignProgress key={campaign.status} campaignId={campaign.id} initial={{ ...campaign.stats, status: campaign.status }} hasEmail={campaign.channels.includes("email")} />
          </CampaignPanel>
        </Card>
        <EvidencePack campaignId={campaign.id} canDownload={hasRole(admin, EVIDENCE_ROLE)} />
        <section aria-labelledby="preview-heading" className="space-y-3">
          <h2 id="preview-heading" className="text-lg font-semibold text-slate-900">
            Preview
          </h2>
          <NoticePreviews campaignId={campaign.id} previews={previews} canSendTest={isAdmin} />
        </section>
      </div>
    </>
  );
};

export default CampaignPage;
