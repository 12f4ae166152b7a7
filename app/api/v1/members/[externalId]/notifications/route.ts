import { platformRoute } from "@/lib/api/platform-route";
import { memberNotices } from "@/lib/notifications/member-notices";
import { parseExternalIdParam, unknownMember } from "@/lib/objections/member-objection-response";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  // Next has decoded the parameter already: decoding it again breaks on a `%` and reads `%41` as `A`.
  const externalId = parseExternalIdParam((await params).externalId);
  const notices = externalId ? await memberNotices(externalId) : null;
  if (!notices) return unknownMember();
  return Response.json(notices, { headers: { "cache-control": "no-store" } });
});
