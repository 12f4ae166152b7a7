import { externalIdParam, unknownMember } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { withdrawMemberObjection } from "@/lib/objections/withdraw-member-objection";

export const POST = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = externalIdParam((await params).externalId);
  const result = await withdrawMemberObjection(externalId);
  if (!result) throw unknownMember();
  return Response.json(result);
});
