import { Badge, type TBadgeTone } from "@/components/ui/badge";

const TONES: Record<string, TBadgeTone> = { draft: "neutral", running: "info", paused: "warning", done: "success", failed: "danger" };

export const CampaignStatusBadge = ({ status }: { status: string }) => <Badge tone={TONES[status] ?? "neutral"}>{status}</Badge>;
