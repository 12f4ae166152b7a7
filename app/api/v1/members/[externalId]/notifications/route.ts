import { externalIdParam, unknownMember } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { memberNotices } from "@/lib/notifications/member-notices";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = externalIdParam((await params).externalId);
  const notices = await memberNotices(externalId);
  if (!notices) throw unknownMember();
  return Response.json(notices, { headers: { "cache-control": "no-store" } });
});
