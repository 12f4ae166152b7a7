import { adminRoute } from "@/lib/auth/admin-route";
import { downloadExportFile } from "@/lib/exports/download-export-file";

const CONTENT_TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson", parquet: "application/vnd.apache.parquet" };

/** A run's file, streamed from its storage (never held in memory), audited as a download. Next has decoded the name already. */
export const GET = adminRoute<{ id: string; name: string }>(async ({ actor, params }) => {
  const { file, body } = await downloadExportFile({ actor, runId: params.id, name: params.name });
  return new Response(body, {
    headers: {
      "Content-Type": CONTENT_TYPES[file.name.split(".").pop() ?? ""] ?? "application/octet-stream",
      "Content-Length": String(file.bytes),
      "Content-Disposition": `attachment; filename="${params.id}-${file.name}"`,
      "Cache-Control": "no-store",
    },
  });
});
