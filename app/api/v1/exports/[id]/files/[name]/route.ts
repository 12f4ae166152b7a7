import { exportRoute } from "@/lib/api/platform-route";
import { apiError } from "@/lib/api/responses";
import { exportFile } from "@/lib/exports/export-runs";

const CONTENT_TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson", parquet: "application/vnd.apache.parquet" };

export const GET = exportRoute<{ id: string; name: string }>(async (request, { params }) => {
  const { id, name } = await params;
  const found = await exportFile({ runId: id, name: decodeURIComponent(name) });
  if (!found) return apiError({ status: 404, code: "not_found", message: "No such file in a successful export run." });
  const etag = `"${found.file.sha256}"`;
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  return new Response(found.stream(), {
    headers: {
      ETag: etag,
      "Content-Type": CONTENT_TYPES[found.file.name.split(".").pop() ?? ""] ?? "application/octet-stream",
      "Content-Length": String(found.file.bytes),
      "Content-Disposition": `attachment; filename="${found.file.name}"`,
    },
  });
});
