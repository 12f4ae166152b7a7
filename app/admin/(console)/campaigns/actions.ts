"use server";

import { revalidatePath } from "next/cache";

import { adminAction, type TActionResult } from "@/lib/auth/admin-action";
import { ZAudienceCount, ZAudienceEstimate, ZCampaignCommand, ZCampaignTestEmail, ZLaunchCampaign, ZResumeDomain } from "@/lib/campaigns/admin-schema";
import { audienceEstimate } from "@/lib/campaigns/audience-estimate";
import { audiencePreview, type TAudiencePreview } from "@/lib/campaigns/audience-preview";
import type { TAudienceFigures } from "@/lib/campaigns/audience-wording";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { launchCampaign } from "@/lib/campaigns/launch-campaign";
import { pauseCampaign } from "@/lib/campaigns/pause-campaign";
import { resumeCampaign } from "@/lib/campaigns/resume-campaign";
import { resumeDomain } from "@/lib/campaigns/resume-domain";
import { ZCreateCampaign } from "@/lib/campaigns/schema";
import { sendCampaignTestEmail } from "@/lib/campaigns/send-campaign-test-email";

const refresh = (campaignId?: string) => {
  revalidatePath("/admin/campaigns");
  if (campaignId) revalidatePath(`/admin/campaigns/${campaignId}`);
};

/** Runs a campaign command and refreshes the campaign's pages whether it ran or was refused: its status may have moved on. */
const runCommand = async ({ campaignId, command, message }: { campaignId: string; command: () => Promise<void>; message: string }): Promise<TActionResult> => {
  try {
    await command();
  } finally {
    refresh(campaignId);
  }
  return { ok: true, message };
};

export const createCampaignAction = adminAction<typeof ZCreateCampaign, { id: string }>({
  schema: ZCreateCampaign,
  run: async ({ actor, input }) => {
    const { id } = await createCampaign({ actor, campaign: input });
    refresh();
    return { ok: true, message: "Campaign created as a draft.", data: { id } };
  },
});

/** The new campaign's form, as its countries change: the estimate from the counters, at once. */
export const audienceEstimateAction = adminAction<typeof ZAudienceEstimate, TAudienceFigures>({
  schema: ZAudienceEstimate,
  readOnly: true,
  run: async ({ actor, input }) => {
    return { ok: true, data: await audienceEstimate({ actor, countries: input.countries, notReachedBy: input.notReachedBy }) };
  },
});

/** "Count exactly": a scan of the members, given up after 10 s (count null). Only when an admin asks. */
export const audienceCountAction = adminAction<typeof ZAudienceCount, TAudiencePreview>({
  schema: ZAudienceCount,
  readOnly: true,
  run: async ({ actor, input }) => {
    return { ok: true, data: await audiencePreview({ actor, countries: input.countries, notReachedBy: input.notReachedBy, campaignId: input.campaignId }) };
  },
});

export const launchCampaignAction = adminAction({
  schema: ZLaunchCampaign,
  run: ({ actor, input }) =>
    runCommand({
      campaignId: input.campaignId,
      command: () => launchCampaign({ campaignId: input.campaignId, actor, onlyNotYetReached: input.onlyNotYetReached }),
      message: "Launched: the audience is being computed, then sending starts.",
    }),
});

export const pauseCampaignAction = adminAction({
  schema: ZCampaignCommand,
  run: ({ actor, input }) => runCommand({ campaignId: input.campaignId, command: () => pauseCampaign({ campaignId: input.campaignId, actor }), message: "Paused: sending stops within one chunk." }),
});

export const resumeCampaignAction = adminAction({
  schema: ZCampaignCommand,
  run: ({ actor, input }) => runCommand({ campaignId: input.campaignId, command: () => resumeCampaign({ campaignId: input.campaignId, actor }), message: "Resumed: sending goes on where it stopped." }),
});

export const sendCampaignTestEmailAction = adminAction({
  schema: ZCampaignTestEmail,
  run: async ({ actor, input }) => {
    await sendCampaignTestEmail({ actor, campaignId: input.campaignId, locale: input.locale });
    return { ok: true, message: "Test email sent to your own address." };
  },
});

const resumeDomainCommand = adminAction({
  schema: ZResumeDomain,
  run: ({ actor, input }) =>
    runCommand({ campaignId: input.campaignId, command: () => resumeDomain({ actor, campaignId: input.campaignId, domain: input.domain }), message: `Resumed ${input.domain}: its emails are queued to go out again.` }),
});

/** The campaign page's "resume" button of a paused domain posts here (a form: it works without JavaScript). */
export const resumeDomainAction = async (_previous: TActionResult | null, form: FormData): Promise<TActionResult | null> =>
  resumeDomainCommand({ campaignId: form.get("campaignId"), domain: form.get("domain") });
