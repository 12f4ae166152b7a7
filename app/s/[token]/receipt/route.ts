import { AppError, isAppError } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
import { logger } from "@/lib/logger";
import { RECEIPT_CONTENT_TYPE, RECEIPT_FILE_NAME } from "@/lib/receipts/sign-receipt";
import { statusLinkReceipt } from "@/lib/receipts/status-link-receipt";

// The status page's "Download the signed receipt": the same file as the email's. A token that cannot
// be a status link gets the status page's friendly 404 from proxy.ts before it gets here.
export const GET = async (_request: Request, { params }: RouteContext<"/s/[token]/receipt">) => {
  const { token } = await params;
  try {
    const jws = await statusLinkReceipt(token);
    return new Response(jws, {
      headers: {
        "content-type": RECEIPT_CONTENT_TYPE,
        "content-disposition": `attachment; filename="${RECEIPT_FILE_NAME}"`,
        "cache-control": "private, no-store",
      },
    });
  } catch (error) {
    if (isAppError(error)) return appErrorResponse(error);
    // Ours (the database out of reach): a 503 to retry, never a 500. The route, not the path: it holds the token.
    logger().error({ event: "receipt_download_failed", route: "/s/[token]/receipt", error }, "a signed receipt could not be served");
    return appErrorResponse(new AppError("unavailable", { message: "The receipt could not be made just now. Try again in a few seconds.", headers: { "Retry-After": "5" } }));
  }
};
