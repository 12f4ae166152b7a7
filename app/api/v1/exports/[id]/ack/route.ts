import { exportRoute } from "@/lib/api/platform-route";
import { apiError } from "@/lib/api/responses";
import { PLATFORM_ACTOR } from "@/lib/auth/actor";
import { acknowledgeRun } from "@/lib/exports/export-runs";

export const POST = exportRoute<{ id: string }>(async (_request, { params }) => {
  const acknowledged = await acknowledgeRun({ actor: PLATFORM_ACTOR, runId: (await params).id });
  if (!acknowledged) return apiError({ status: 404, code: "not_found", message: "No successful export run has this id." });
  return Response.json({ id: acknowledged.id, acknowledgedAt: acknowledged.acknowledgedAt.toISOString() });
});
