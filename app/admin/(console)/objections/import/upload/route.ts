import { AdminError, assertRole } from "@/lib/auth/admin-error";
import { adminRoute } from "@/lib/auth/admin-route";
import { importPriorObjections, PRIOR_IMPORT_MAX_BYTES } from "@/lib/objections/import-prior-objections";

export const dynamic = "force-dynamic";

// The multipart envelope around the file: boundaries and part headers.
const FORM_OVERHEAD_BYTES = 64 * 1024;
const TOO_LARGE = `The file is larger than ${PRIOR_IMPORT_MAX_BYTES / 1024 / 1024} MB: split it and upload the parts one by one.`;

/**
 * POST /admin/objections/import/upload (multipart, field `file`): imports earlier objections and
 * answers with the report, row by row. Admins only. A route handler rather than a server action, whose
 * body limit (1 MB) is below the file limit.
 */
export const POST = adminRoute(async ({ request, actor }) => {
  // Checked before the body is read: a viewer's or reviewer's upload is refused without reading it.
  assertRole(actor, "admin");
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > PRIOR_IMPORT_MAX_BYTES + FORM_OVERHEAD_BYTES) return Response.json({ code: "too_large", message: TOO_LARGE }, { status: 413 });
  let file: FormDataEntryValue | null;
  try {
    file = (await request.formData()).get("file");
  } catch {
    throw new AdminError("invalid", "Choose a CSV file to upload.");
  }
  if (!file || typeof file === "string" || file.size === 0) throw new AdminError("invalid", "Choose a CSV file to upload.");
  if (file.size > PRIOR_IMPORT_MAX_BYTES) return Response.json({ code: "too_large", message: TOO_LARGE }, { status: 413 });
  const result = await importPriorObjections({ actor, csv: Buffer.from(await file.arrayBuffer()) });
  return Response.json(result);
});
