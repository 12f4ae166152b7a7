import { AdminError } from "@/lib/auth/admin-error";
import { adminRoute } from "@/lib/auth/admin-route";
import { env } from "@/lib/env";
import { startExportNow } from "@/lib/exports/start-export-now";

/**
 * Starts an export run now: 202 with the job to watch at /admin/exports/jobs/{jobId}. A form on
 * another site cannot post here with the session: the cookie is SameSite=Lax, and a foreign Origin
 * is refused outright.
 */
export const POST = adminRoute(async ({ request, actor }) => {
  const origin = request.headers.get("origin");
  if (origin && origin !== new URL(request.url).origin && origin !== new URL(env().APP_URL).origin) throw new AdminError("forbidden", "Start exports from the console.");
  const { jobId, started } = await startExportNow({ actor });
  return Response.json(
    { jobId, started, message: started ? "Export queued: a worker runs it now." : "An export is already queued or running: showing its progress." },
    { status: 202, headers: { "cache-control": "no-store" } },
  );
});
