import { adminRoute } from "@/lib/auth/admin-route";
import { exportJobProgress } from "@/lib/exports/export-job-progress";

export const dynamic = "force-dynamic";

/** Where a run started from the console stands; the exports page polls it. */
export const GET = adminRoute<{ jobId: string }>(async ({ actor, params }) =>
  Response.json(await exportJobProgress({ actor, jobId: params.jobId }), { headers: { "cache-control": "no-store" } }),
);
