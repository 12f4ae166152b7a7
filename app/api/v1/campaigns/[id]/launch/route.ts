import { campaignCommandResponse } from "@/lib/api/campaign-command-response";
import { platformRoute } from "@/lib/api/platform-route";
import { launchCampaign } from "@/lib/campaigns/launch-campaign";

export const POST = platformRoute<{ id: string }>(async (_request, { params }) => campaignCommandResponse({ id: (await params).id, command: launchCampaign }));
