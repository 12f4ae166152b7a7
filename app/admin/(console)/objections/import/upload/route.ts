import { AppError } from "@/lib/errors/app-error";
import { assertRole } from "@/lib/auth/actor";
import { adminRoute } from "@/lib/auth/admin-route";
import { readForm } from "@/lib/forms/read-form";
import { importPriorObjections, PRIOR_IMPORT_MAX_BYTES } from "@/lib/objections/import-prior-objections";

export const dynamic = "force-dynamic";

// The multipart envelope around the file: boundaries and part headers.
const FORM_OVERHEAD_BYTES = 64 * 1024;
// A 413 closes the connection (appErrorResponse): the rest of the body was never read.
const tooLarge = () => new AppError("too_large", { message: `The file is larger than ${PRIOR_IMPORT_MAX_BYTES / 1024 / 1024} MB: split it and upload the parts one by one.` });

/**
 * POST /admin/objections/import/upload (multipart, field `file`): imports earlier objections and
 * answers with the report, row by row. Admins only. A route handler rather than a server action, whose
 * body limit (1 MB) is below the file limit.
 */
export const POST = adminRoute(async ({ request, actor }) => {
  // Checked before the body is read: a viewer's or reviewer's upload is refused without reading it.
  assertRole(actor, "admin");
  const read = await readForm(request, { maxBytes: PRIOR_IMPORT_MAX_BYTES + FORM_OVERHEAD_BYTES });
  if (!read.ok && read.problem === "too_large") throw tooLarge();
  if (!read.ok) throw new AppError("invalid", { message: "Choose a CSV file to upload." });
  const file = read.form.get("file");
  if (!file || typeof file === "string" || file.size === 0) throw new AppError("invalid", { message: "Choose a CSV file to upload." });
  if (file.size > PRIOR_IMPORT_MAX_BYTES) throw tooLarge();
  const result = await importPriorObjections({ actor, csv: Buffer.from(await file.arrayBuffer()) });
  return Response.json(result);
});
