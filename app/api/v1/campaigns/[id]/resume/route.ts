import { campaignCommandResponse } from "@/lib/api/campaign-command-response";
import { platformRoute } from "@/lib/api/platform-route";
import { resumeCampaign } from "@/lib/campaigns/resume-campaign";

export const POST = platformRoute<{ id: string }>(async (_request, { params }) => campaignCommandResponse({ id: (await params).id, command: resumeCampaign }));
