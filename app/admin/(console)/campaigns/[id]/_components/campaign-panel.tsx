"use client";

import type { ReactNode } from "react";

import { audienceCountAction } from "@/app/admin/(console)/campaigns/actions";
import { CampaignActions } from "@/app/admin/(console)/campaigns/[id]/_components/campaign-actions";
import { AudienceLine, useExactCount } from "@/components/admin/campaigns/audience-line";
import type { TAudienceFigures } from "@/lib/campaigns/audience-wording";

/**
 * The progress card's body: a draft's audience (the estimate, counted exactly on demand), the
 * progress (`children`) and, for an admin, the commands. One component whatever the status, so the
 * commands keep their message when a launch turns the draft into a running campaign.
 */
export const CampaignPanel = ({
  campaign,
  estimate,
  followUp,
  isAdmin,
  children,
}: {
  campaign: { id: string; status: string; countries: string[]; notReachedBy: string | null; onlyNotYetReached: boolean };
  /** A draft's estimate, for an admin; null otherwise. */
  estimate: TAudienceFigures | null;
  followUp: boolean;
  isAdmin: boolean;
  children: ReactNode;
}) => {
  const exactCount = useExactCount({
    scope: campaign.id,
    count: () => audienceCountAction({ countries: campaign.countries, notReachedBy: campaign.notReachedBy ?? undefined, campaignId: campaign.id }),
  });
  const audience = estimate ? (exactCount.exact ?? estimate) : null;
  return (
    <>
      {audience ? <AudienceLine className="mt-1" figures={audience} followUp={followUp} suffix="It counts adults in these countries without a live objection." exactCount={exactCount} /> : null}
      <div className="mt-4 space-y-4">
        {children}
        {isAdmin ? <CampaignActions campaignId={campaign.id} status={campaign.status} audience={audience} onlyNotYetReached={campaign.onlyNotYetReached} /> : null}
      </div>
    </>
  );
};
