import { AppError } from "@/lib/errors/app-error";
import { adminRoute } from "@/lib/auth/admin-route";
import { downloadFileName, downloadObjectionsCsv } from "@/lib/objections/download-objections-csv";
import { readObjectionFilters } from "@/lib/objections/objection-filters-url";

export const dynamic = "force-dynamic";

/** GET /admin/objections/download?<the queue's filters>: the filtered list as CSV, streamed (reviewer and up). */
export const GET = adminRoute(async ({ request, actor }) => {
  const read = readObjectionFilters(new URL(request.url).searchParams);
  if (!read.ok) throw new AppError("invalid", { message: read.message });
  const stream = await downloadObjectionsCsv({ actor, filters: read.filters });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${downloadFileName(new Date())}"`,
      "cache-control": "no-store",
    },
  });
});
