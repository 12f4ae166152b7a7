import { platformRoute } from "@/lib/api/platform-route";
import { apiError } from "@/lib/api/responses";
import { ZExternalId } from "@/lib/members/schema";
import { memberNotices } from "@/lib/notifications/member-notices";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = ZExternalId.safeParse(decodeURIComponent((await params).externalId));
  const notices = externalId.success ? await memberNotices(externalId.data) : null;
  if (!notices) return apiError({ status: 404, code: "not_found", message: "No member has this externalId: sync members first (PUT /api/v1/members)." });
  return Response.json(notices, { headers: { "cache-control": "no-store" } });
});
