import { exportRoute } from "@/lib/api/platform-route";
import { apiError } from "@/lib/api/responses";
import { exportSigningKey } from "@/lib/exports/export-settings";

export const dynamic = "force-dynamic";

export const GET = exportRoute(async () => {
  const signing = exportSigningKey();
  if (!signing) return apiError({ status: 404, code: "not_configured", message: "This deployment signs no exports: EXPORT_SIGNING_KEY is not set." });
  return Response.json({ algorithm: "Ed25519", keyId: signing.keyId, publicKeyPem: signing.publicKey.export({ format: "pem", type: "spki" }).toString() });
});
