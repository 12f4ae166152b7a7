import { platformRoute } from "@/lib/api/platform-route";
import { readJsonBody, validationFailed } from "@/lib/api/responses";
import { PLATFORM_ACTOR } from "@/lib/campaigns/campaign-actor";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { ZCreateCampaign } from "@/lib/campaigns/schema";

export const POST = platformRoute(async (request) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ZCreateCampaign.safeParse(read.body);
  if (!parsed.success) return validationFailed(parsed.error);
  // notReachedBy naming no campaign, or one not done yet, throws an AppError: 422, nothing written.
  const campaign = await createCampaign({ actor: PLATFORM_ACTOR, campaign: parsed.data });
  return Response.json(campaign, { status: 201, headers: { Location: `/api/v1/campaigns/${campaign.id}` } });
});
