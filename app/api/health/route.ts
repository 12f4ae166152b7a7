import { exportHealth } from "@/lib/health/export-health";
import { isDatabaseUp } from "@/lib/health/check-database";
import { isShuttingDown } from "@/lib/lifecycle/web-lifecycle";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

// `ok` means this instance can serve now: a load balancer sends it traffic only then. Once SIGTERM
// arrived it answers 503 (and takes no new connection) while it finishes the requests in flight.
export const GET = async () => {
  if (isShuttingDown()) return Response.json({ status: "unavailable", shuttingDown: true }, { status: 503, headers: NO_STORE });
  const up = await isDatabaseUp();
  if (!up) return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: NO_STORE });
  const exportState = await exportHealth().catch(() => null);
  // Degraded still answers 200: the app serves users; the pipeline's data is what is late.
  return Response.json({ status: exportState?.degraded ? "degraded" : "ok", export: exportState }, { headers: NO_STORE });
};
