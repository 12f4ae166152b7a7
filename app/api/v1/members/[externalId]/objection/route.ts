import { platformRoute } from "@/lib/api/platform-route";
import { memberObjectionState } from "@/lib/objections/member-objection-state";
import { parseExternalIdParam, unknownMember } from "@/lib/objections/member-objection-response";

export const dynamic = "force-dynamic";

export const GET = platformRoute<{ externalId: string }>(async (_request, { params }) => {
  const externalId = parseExternalIdParam((await params).externalId);
  const state = externalId ? await memberObjectionState(externalId) : null;
  if (!state) return unknownMember();
  return Response.json(state, { headers: { "cache-control": "no-store" } });
});
