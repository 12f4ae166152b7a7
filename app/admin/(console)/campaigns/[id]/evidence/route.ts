import { adminRoute } from "@/lib/auth/admin-route";
import { downloadEvidencePack, evidenceFileName } from "@/lib/evidence/download-evidence-pack";

export const dynamic = "force-dynamic";

/**
 * The campaign's evidence pack (docs/evidence.md): a signed ZIP, streamed as the database reads it,
 * audited before the first byte. Reviewer and up; 404 for an unknown campaign. No Content-Length:
 * the size is known only at the end.
 */
export const GET = adminRoute<{ id: string }>(async ({ request, actor, params }) => {
  const body = await downloadEvidencePack({ actor, campaignId: params.id, signal: request.signal });
  return new Response(body, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${evidenceFileName(params.id)}"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    },
  });
});

/** Not GET's headers without its body (Next's default for HEAD): that would audit a download and open a pack for nothing. */
export const HEAD = () => new Response(null, { status: 405, headers: { allow: "GET" } });
