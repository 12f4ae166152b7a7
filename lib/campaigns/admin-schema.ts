import { z } from "zod";

import { ZCampaignId, ZCreateCampaign } from "@/lib/campaigns/schema";
import { EEA_COUNTRIES } from "@/lib/members/eea-countries";

/** The console's campaign commands: one campaign by id. */
export const ZCampaignCommand = z.object({ campaignId: ZCampaignId });

/** The audience before launch, estimated or counted: the countries and, for a follow-up, the earlier campaign. */
export const ZAudienceEstimate = z.object({
  countries: z.array(z.enum(EEA_COUNTRIES)).max(EEA_COUNTRIES.length),
  notReachedBy: ZCreateCampaign.shape.notReachedBy,
});

/** "Count exactly": as the estimate, and on a draft's page the draft itself (its own notices are no earlier campaign's). */
export const ZAudienceCount = ZAudienceEstimate.extend({ campaignId: ZCampaignId.optional() });

/** The launch dialog's choice: leave out members an earlier campaign already reached, or tell everyone eligible. */
export const ZLaunchCampaign = ZCampaignCommand.extend({ onlyNotYetReached: z.boolean().optional() });

// A language tag (de, fr-BE): the email falls back to English for one the app does not speak.
export const ZCampaignTestEmail = z.object({ campaignId: ZCampaignId, locale: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/) });

/** The campaign page's "resume this domain" form and its command share this schema. */
export const ZResumeDomain = z.object({
  campaignId: ZCampaignId,
  domain: z.string().trim().toLowerCase().min(1, { error: "Say which domain to resume." }).max(255, { error: "A domain is at most 255 characters." }),
});
