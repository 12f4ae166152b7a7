import { exportRoute } from "@/lib/api/platform-route";
import { AppError } from "@/lib/errors/app-error";
import { acknowledgeRun } from "@/lib/exports/export-runs";

export const POST = exportRoute<{ id: string }>(async (_request, { params }) => {
  const acknowledged = await acknowledgeRun((await params).id);
  if (!acknowledged) throw new AppError("not_found", { message: "No successful export run has this id." });
  return Response.json({ id: acknowledged.id, acknowledgedAt: acknowledged.acknowledgedAt.toISOString() });
});
