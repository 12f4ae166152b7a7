import { metricsRoute } from "@/lib/api/platform-route";
import { metricsRegistry } from "@/lib/metrics/metrics-registry";

export const dynamic = "force-dynamic";

// Prometheus's text format, behind METRICS_TOKEN: the figures say how many people objected.
export const GET = metricsRoute(async () => {
  const registry = metricsRegistry();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
});
