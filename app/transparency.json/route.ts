import { cachedTransparencyReport } from "@/lib/transparency/cached-transparency-report";
import { TRANSPARENCY_CACHE_CONTROL } from "@/lib/transparency/transparency-cache";

export const dynamic = "force-dynamic";

// The figures /transparency shows, for anyone to reuse (docs/transparency.md describes the shape).
export const GET = async () => Response.json(await cachedTransparencyReport(), { headers: { "cache-control": TRANSPARENCY_CACHE_CONTROL } });
