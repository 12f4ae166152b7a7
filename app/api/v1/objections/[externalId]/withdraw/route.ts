import { platformRoute } from "@/lib/api/platform-route";
import { parseExternalIdParam, unknownMember } from "@/lib/objections/member-objection-response";
import { withdrawMemberObjection } from "@/lib/objections/withdraw-member-objection";

export const POST = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = parseExternalIdParam((await params).externalId);
  const result = externalId ? await withdrawMemberObjection(externalId) : null;
  if (!result) return unknownMember();
  return Response.json(result);
});
