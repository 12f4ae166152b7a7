import { platformRoute } from "@/lib/api/platform-route";
import { memberNoticeHistory } from "@/lib/notifications/member-notice-history";
import { parseExternalIdParam, unknownMember } from "@/lib/objections/member-objection-response";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  // Next has decoded the parameter already: decoding it again breaks on a `%` and reads `%41` as `A`.
  const externalId = parseExternalIdParam((await params).externalId);
  const history = externalId ? await memberNoticeHistory(externalId) : null;
  if (!history) return unknownMember();
  return Response.json(history, { headers: { "cache-control": "no-store" } });
});
