import { campaignCommandResponse } from "@/lib/api/campaign-command-response";
import { platformRoute } from "@/lib/api/platform-route";
import { pauseCampaign } from "@/lib/campaigns/pause-campaign";

export const POST = platformRoute<{ id: string }>(async (_request, { params }) => campaignCommandResponse({ id: (await params).id, command: pauseCampaign }));
