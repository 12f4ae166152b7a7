import { externalIdParam, unknownMember } from "@/lib/api/external-id-param";
import { platformRoute } from "@/lib/api/platform-route";
import { memberObjectionState } from "@/lib/objections/member-objection-state";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = externalIdParam((await params).externalId);
  const state = await memberObjectionState(externalId);
  if (!state) throw unknownMember();
  return Response.json(state, { headers: { "cache-control": "no-store" } });
});
