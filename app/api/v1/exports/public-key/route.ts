import { exportRoute } from "@/lib/api/platform-route";
import { AppError } from "@/lib/errors/app-error";
import { appErrorResponse } from "@/lib/errors/app-error-response";
import { exportSigningKey } from "@/lib/exports/export-settings";

export const dynamic = "force-dynamic";

export const GET = exportRoute(async () => {
  const signing = exportSigningKey();
  if (!signing) {
    // docs/export-format.md promises 404 here: there is no key to serve, while the API itself works
    // (not_configured's own 503 means the whole API is off). The one status set apart from the table.
    return appErrorResponse(new AppError("not_configured", { message: "This deployment signs no exports: EXPORT_SIGNING_KEY is not set." }), { status: 404 });
  }
  return Response.json({ algorithm: "Ed25519", keyId: signing.keyId, publicKeyPem: signing.publicKey.export({ format: "pem", type: "spki" }).toString() });
});
