import { externalIdParam, unknownMember } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { memberNoticeHistory } from "@/lib/notifications/member-notice-history";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = externalIdParam((await params).externalId);
  const history = await memberNoticeHistory(externalId);
  if (!history) throw unknownMember();
  return Response.json(history, { headers: { "cache-control": "no-store" } });
});
