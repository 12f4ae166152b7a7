import { exportRoute } from "@/lib/api/platform-route";
import { AppError } from "@/lib/errors/app-error";
import { latestManifest } from "@/lib/exports/export-runs";

export const dynamic = "force-dynamic";

export const GET = exportRoute(async () => {
  const manifest = await latestManifest();
  if (!manifest) throw new AppError("not_found", { message: "No export has succeeded yet." });
  return Response.json(manifest, { headers: { "cache-control": "no-store" } });
});
