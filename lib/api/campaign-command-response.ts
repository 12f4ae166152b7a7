import { apiError } from "@/lib/api/responses";
import { PLATFORM_ACTOR, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { ZCampaignId } from "@/lib/campaigns/schema";
import { isAppError } from "@/lib/errors/app-error";

/**
 * Runs a campaign command for the platform, for `/campaigns/{id}/…`: 202 once it ran; its AppError
 * (`not_found`, `conflict`) as the status, code and message of the error table.
 */
export const campaignCommandResponse = async ({ id, command }: { id: string; command: (args: { campaignId: string; actor: TActor }) => Promise<void> }) => {
  try {
    const parsed = ZCampaignId.safeParse(id);
    if (!parsed.success) throw campaignNotFound();
    await command({ campaignId: parsed.data, actor: PLATFORM_ACTOR });
    return Response.json({ id: parsed.data }, { status: 202 });
  } catch (error) {
    if (!isAppError(error)) throw error;
    return apiError({ status: error.status, code: error.code, message: error.message });
  }
};
