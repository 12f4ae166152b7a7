import { parseExternalIdParam } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { unknownMember } from "@/lib/objections/member-objection-response";
import { withdrawMemberObjection } from "@/lib/objections/withdraw-member-objection";

export const POST = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const param = parseExternalIdParam((await params).externalId);
  if (!param.ok) return param.response;
  const result = await withdrawMemberObjection({ actor: PLATFORM_ACTOR, externalId: param.externalId });
  if (!result) return unknownMember();
  return Response.json(result);
});
