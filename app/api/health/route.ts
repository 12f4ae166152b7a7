import { exportHealth } from "@/lib/health/export-health";
import { isDatabaseUp } from "@/lib/health/check-database";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

export const GET = async () => {
  const up = await isDatabaseUp();
  if (!up) return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: NO_STORE });
  const exportState = await exportHealth().catch(() => null);
  // Degraded still answers 200: the app serves users; the pipeline's data is what is late.
  return Response.json({ status: exportState?.degraded ? "degraded" : "ok", export: exportState }, { headers: NO_STORE });
};
