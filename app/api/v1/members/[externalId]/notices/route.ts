import { parseExternalIdParam } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { memberNoticeHistory } from "@/lib/notifications/member-notice-history";
import { unknownMember } from "@/lib/objections/member-objection-response";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const param = parseExternalIdParam((await params).externalId);
  if (!param.ok) return param.response;
  const history = await memberNoticeHistory(param.externalId);
  if (!history) return unknownMember();
  return Response.json(history, { headers: { "cache-control": "no-store" } });
});
