import { exportHealth } from "@/lib/health/export-health";
import { isDatabaseUp } from "@/lib/health/check-database";
import { isShuttingDown } from "@/lib/lifecycle/web-lifecycle";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

// `ok` means this instance can serve now: a load balancer sends it traffic only then. Once SIGTERM
// arrived it answers 503, so the load balancer takes it out before it closes its port
// (scripts/start-web.mjs: SHUTDOWN_DRAIN_SECONDS).
export const GET = async () => {
  if (isShuttingDown()) return Response.json({ status: "unavailable", shuttingDown: true }, { status: 503, headers: NO_STORE });
  const up = await isDatabaseUp();
  if (!up) return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: NO_STORE });
  const exportState = await exportHealth().catch(() => null);
  // Degraded still answers 200: the app serves users; the pipeline's data is what is late.
  return Response.json({ status: exportState?.degraded ? "degraded" : "ok", export: exportState }, { headers: NO_STORE });
};
