import { CAMPAIGN_STATUS_LABELS } from "@/components/admin/status-labels";
import { Badge, type TBadgeTone } from "@/components/ui/badge";
import type { CampaignStatus } from "@/lib/generated/prisma/enums";

const TONES: Record<string, TBadgeTone> = { draft: "neutral", running: "info", paused: "warning", done: "success", failed: "danger" };

export const CampaignStatusBadge = ({ status }: { status: string }) => <Badge tone={TONES[status] ?? "neutral"}>{CAMPAIGN_STATUS_LABELS[status as CampaignStatus] ?? status}</Badge>;
