import { exportRoute } from "@/lib/api/platform-route";
import { AppError } from "@/lib/errors/app-error";
import { exportFile } from "@/lib/exports/export-runs";

const CONTENT_TYPES: Record<string, string> = { csv: "text/csv; charset=utf-8", jsonl: "application/x-ndjson", parquet: "application/vnd.apache.parquet" };

export const GET = exportRoute<{ id: string; name: string }>(async (request, { params }) => {
  const { id, name } = await params;
  const found = await exportFile({ runId: id, name });
  if (found.status === "not_found") throw new AppError("not_found", { message: "No such file in a successful export run." });
  if (found.status === "deleted") {
    throw new AppError("gone", { message: "Retention deleted this run's files. Apply the latest run's snapshot instead (GET /api/v1/exports/latest)." });
  }
  const etag = `"${found.file.sha256}"`;
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: { ETag: etag } });
  const body = await found.stream();
  // The run says it succeeded but storage has no file: an outage of the storage, worth a retry.
  if (!body) throw new AppError("unavailable", { message: "The export storage does not have this file right now. Retry in a minute.", headers: { "Retry-After": "60" } });
  return new Response(body, {
    headers: {
      ETag: etag,
      "Content-Type": CONTENT_TYPES[found.file.name.split(".").pop() ?? ""] ?? "application/octet-stream",
      "Content-Length": String(found.file.bytes),
      "Content-Disposition": `attachment; filename="${found.file.name}"`,
    },
  });
});
