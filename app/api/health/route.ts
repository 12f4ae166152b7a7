import { exportHealth } from "@/lib/health/export-health";
import { isDatabaseUp } from "@/lib/health/check-database";

export const dynamic = "force-dynamic";

export const GET = async () => {
  const up = await isDatabaseUp();
  if (!up) return Response.json({ status: "unavailable", database: "down" }, { status: 503, headers: { "cache-control": "no-store" } });
  return Response.json({ status: "ok", export: await exportHealth().catch(() => null) }, { headers: { "cache-control": "no-store" } });
};
