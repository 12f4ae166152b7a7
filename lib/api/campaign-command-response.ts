import { PLATFORM_ACTOR, type TActor } from "@/lib/auth/actor";
import { campaignNotFound } from "@/lib/campaigns/campaign-not-found";
import { ZCampaignId } from "@/lib/campaigns/schema";

/**
 * Runs a campaign command for the platform, for `/campaigns/{id}/…`: 202 once it ran. What it
 * throws (AppError `not_found` or `conflict`) platformRoute answers through the one table: 404 or 409.
 */
export const campaignCommandResponse = async ({ id, command }: { id: string; command: (args: { campaignId: string; actor: TActor }) => Promise<void> }) => {
  const parsed = ZCampaignId.safeParse(id);
  if (!parsed.success) throw campaignNotFound();
  await command({ campaignId: parsed.data, actor: PLATFORM_ACTOR });
  return Response.json({ id: parsed.data }, { status: 202 });
};
