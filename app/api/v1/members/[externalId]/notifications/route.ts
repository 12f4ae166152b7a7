import { parseExternalIdParam } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { memberNotices } from "@/lib/notifications/member-notices";
import { unknownMember } from "@/lib/objections/member-objection-response";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const param = parseExternalIdParam((await params).externalId);
  if (!param.ok) return param.response;
  const notices = await memberNotices(param.externalId);
  if (!notices) return unknownMember();
  return Response.json(notices, { headers: { "cache-control": "no-store" } });
});
