import { platformRoute } from "@/lib/api/platform-route";
import { apiError, readJsonBody, validationFailed } from "@/lib/api/responses";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors/app-error";
import { createCampaign } from "@/lib/campaigns/create-campaign";
import { ZCreateCampaign } from "@/lib/campaigns/schema";

export const POST = platformRoute(async (request) => {
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ZCreateCampaign.safeParse(read.body);
  if (!parsed.success) return validationFailed(parsed.error);
  try {
    const campaign = await createCampaign({ actor: PLATFORM_ACTOR, campaign: parsed.data });
    return Response.json(campaign, { status: 201, headers: { Location: `/api/v1/campaigns/${campaign.id}` } });
  } catch (error) {
    // notReachedBy names no campaign, or one not done yet: 422, nothing written.
    if (error instanceof AppError) return apiError({ status: error.status, code: error.code, message: error.message });
    throw error;
  }
});
