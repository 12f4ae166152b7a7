import { AppError } from "@/lib/errors/app-error";
import { adminRoute } from "@/lib/auth/admin-route";
import { readForm } from "@/lib/forms/read-form";
import { OBJECTION_FILTER_KEYS } from "@/lib/objections/objection-filters";
import { objectionFiltersHref } from "@/lib/objections/objection-filters-url";

/**
 * POST /admin/objections/search: the filter form posts here and is sent to the queue's URL with the
 * search sealed, so an address typed into the search never lands in a URL. Works without JavaScript.
 * The page validates the filters (and explains a bad one); this only moves them into the URL.
 */
const MAX_FORM_BYTES = 16 * 1024;

export const POST = adminRoute(async ({ request }) => {
  const read = await readForm(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok && read.problem === "too_large") {
    throw new AppError("too_large", { message: `The search form is larger than ${MAX_FORM_BYTES / 1024} KB: shorten what you typed.` });
  }
  if (!read.ok) throw new AppError("invalid", { message: "Send the search as the console's filter form does." });
  const { form } = read;
  const values: Record<string, string> = {};
  for (const key of OBJECTION_FILTER_KEYS) {
    const value = form.get(key);
    if (typeof value === "string" && value.trim() !== "") values[key] = value.trim().slice(0, 400);
  }
  const href = objectionFiltersHref("/admin/objections", values);
  return new Response(null, { status: 303, headers: { location: href } });
});
