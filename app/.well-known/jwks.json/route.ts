import { receiptJwks } from "@/lib/receipts/receipt-jwks";

// The keys that sign receipts (docs/receipts.md): public, and cached for a few minutes (a receipt is
// checked long after it is signed; a verifier that meets an unknown kid fetches again).
export const GET = async () =>
  Response.json(await receiptJwks(), {
    headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300, stale-if-error=86400" },
  });

export const dynamic = "force-dynamic";
