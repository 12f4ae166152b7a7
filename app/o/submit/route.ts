import { formPostRefused } from "@/lib/forms/form-post-refused";
import { readFormFields } from "@/lib/forms/read-form-fields";
import { objectionFormResponse } from "@/lib/objections/objection-form-response";
import { receiveObjectionForm } from "@/lib/objections/receive-objection-form";

// 2,000 characters of reason, percent-encoded, fit with room to spare.
const MAX_FORM_BYTES = 64 * 1024;

// The objection form posts here, with or without JavaScript. A route handler rather than a server
// action: under a campaign's burst of clicks, decoding a server action's multipart body cost more
// CPU than storing the objection (scripts/bench/submit.ts measures it).
export const POST = async (request: Request) => {
  const read = await readFormFields(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok) return formPostRefused({ problem: read.problem, maxBytes: MAX_FORM_BYTES, outcome: "nothing was stored" });
  const result = await receiveObjectionForm(read.fields);
  return objectionFormResponse({ result, request, shownLocale: read.fields.lang });
};
