import { AppError } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
import { logger } from "@/lib/logger";
import { receiptJwks } from "@/lib/receipts/receipt-jwks";

// The keys that sign receipts (docs/receipts.md): public, and cached for a few minutes (a receipt is
// checked long after it is signed; a verifier that meets an unknown kid fetches again).
export const GET = async () => {
  try {
    return Response.json(await receiptJwks(), {
      headers: { "content-type": "application/jwk-set+json", "cache-control": "public, max-age=300, stale-if-error=86400" },
    });
  } catch (error) {
    // The database out of reach: a 503 to retry (a cache may serve its copy meanwhile), never a 500.
    logger().error({ event: "jwks_failed", error }, "the receipt keys could not be read");
    return appErrorResponse(new AppError("unavailable", { message: "The keys could not be read just now. Try again in a few seconds.", headers: { "Retry-After": "5" } }));
  }
};

export const dynamic = "force-dynamic";
