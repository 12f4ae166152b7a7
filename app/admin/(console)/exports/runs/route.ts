import { adminRoute } from "@/lib/auth/admin-route";
import { startExportNow } from "@/lib/exports/start-export-now";

/**
 * Starts an export run now: 202 with the job to watch at /admin/exports/jobs/{jobId}. adminRoute
 * refuses a foreign Origin, so a form on another site cannot start one with the session.
 */
export const POST = adminRoute(async ({ actor }) => {
  const { jobId, started } = await startExportNow({ actor });
  return Response.json(
    { jobId, started, message: started ? "Export queued: a worker runs it now." : "An export is already queued or running: showing its progress." },
    { status: 202, headers: { "cache-control": "no-store" } },
  );
});
