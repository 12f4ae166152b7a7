import { AppError } from "@/lib/errors/app-error";
import { adminRoute } from "@/lib/auth/admin-route";
import { readForm } from "@/lib/forms/read-form";
import { downloadFileName, downloadObjectionsCsv } from "@/lib/objections/download-objections-csv";
import { ZCsvWithAddresses } from "@/lib/objections/download-schema";
import { readObjectionFilters } from "@/lib/objections/objection-filters-url";

export const dynamic = "force-dynamic";

const MAX_FORM_BYTES = 16 * 1024;

const filtersOf = (request: Request) => {
  const read = readObjectionFilters(new URL(request.url).searchParams);
  if (!read.ok) throw new AppError("invalid", { message: read.message });
  return read.filters;
};

const csvResponse = (stream: ReadableStream<Uint8Array>, { addresses }: { addresses: boolean }) =>
  new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${downloadFileName(new Date(), { addresses })}"`,
      "cache-control": "no-store",
    },
  });

/** GET /admin/objections/download?<the queue's filters>: the filtered list as CSV, streamed, without addresses (reviewer and up). */
export const GET = adminRoute(async ({ request, actor }) => csvResponse(await downloadObjectionsCsv({ actor, filters: filtersOf(request) }), { addresses: false }));

/**
 * POST, the same URL, a form with `reason`: the CSV with every address in full. The reason travels in
 * the body (never a URL) and is audited with the download.
 */
export const POST = adminRoute(async ({ request, actor }) => {
  const filters = filtersOf(request);
  const read = await readForm(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok && read.problem === "too_large") throw new AppError("too_large", { message: `The form is larger than ${MAX_FORM_BYTES / 1024} KB: shorten the reason.` });
  if (!read.ok) throw new AppError("invalid", { message: "Send the reason as the console's download form does." });
  const parsed = ZCsvWithAddresses.safeParse({ reason: read.form.get("reason") ?? undefined });
  if (!parsed.success) throw new AppError("invalid", { message: parsed.error.issues[0]?.message ?? "Write why you need the addresses." });
  return csvResponse(await downloadObjectionsCsv({ actor, filters, withAddresses: parsed.data }), { addresses: true });
});
