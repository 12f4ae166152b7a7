import { openApiDocument } from "@/lib/api/openapi";

export const GET = () => Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
