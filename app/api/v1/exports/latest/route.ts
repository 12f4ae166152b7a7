import { exportRoute } from "@/lib/api/platform-route";
import { apiError } from "@/lib/api/responses";
import { latestManifest } from "@/lib/exports/export-runs";

export const dynamic = "force-dynamic";

export const GET = exportRoute(async () => {
  const manifest = await latestManifest();
  if (!manifest) return apiError({ status: 404, code: "not_found", message: "No export has succeeded yet." });
  return Response.json(manifest, { headers: { "cache-control": "no-store" } });
});
