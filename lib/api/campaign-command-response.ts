import { apiError } from "@/lib/api/responses";
import { PLATFORM_ACTOR, type TCampaignActor } from "@/lib/campaigns/campaign-actor";
import type { TCampaignResult } from "@/lib/campaigns/campaign-result";
import { ZCampaignId } from "@/lib/campaigns/schema";

/** Runs a campaign command for the platform, for `/campaigns/{id}/…` and maps its result to 202, 404 or 409. */
export const campaignCommandResponse = async ({ id, command }: { id: string; command: (args: { campaignId: string; actor: TCampaignActor }) => Promise<TCampaignResult> }) => {
  const parsed = ZCampaignId.safeParse(id);
  if (!parsed.success) return apiError({ status: 404, code: "not_found", message: "No campaign has this id." });
  const result = await command({ campaignId: parsed.data, actor: PLATFORM_ACTOR });
  if (result.ok) return Response.json({ id: parsed.data }, { status: 202 });
  return apiError({ status: result.reason === "not_found" ? 404 : 409, code: result.reason, message: result.message });
};
