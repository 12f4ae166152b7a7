import { isDatabaseUp } from "@/lib/health/check-database";

export const dynamic = "force-dynamic";

export const GET = async () => {
  const up = await isDatabaseUp();
  return Response.json(up ? { status: "ok" } : { status: "unavailable", database: "down" }, {
    status: up ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
};
