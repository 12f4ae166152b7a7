import { parseExternalIdParam } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { memberObjectionState } from "@/lib/objections/member-objection-state";
import { unknownMember } from "@/lib/objections/member-objection-response";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const param = parseExternalIdParam((await params).externalId);
  if (!param.ok) return param.response;
  const state = await memberObjectionState(param.externalId);
  if (!state) return unknownMember();
  return Response.json(state, { headers: { "cache-control": "no-store" } });
});
