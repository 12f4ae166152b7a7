import { readFormFields } from "@/lib/forms/read-form-fields";
import { objectionFormResponse } from "@/lib/objections/objection-form-response";
import { receiveObjectionForm } from "@/lib/objections/receive-objection-form";

// The objection form posts here, with or without JavaScript. A route handler rather than a server
// action: under a campaign's burst of clicks, decoding a server action's multipart body cost more
// CPU than storing the objection (scripts/bench/submit.ts measures it).
export const POST = async (request: Request) => {
  // 2,000 characters of reason, percent-encoded, fit with room to spare.
  const fields = await readFormFields(request, { maxBytes: 64 * 1024 });
  if (!fields) return new Response("The form post is too large or not a form post: nothing was stored.", { status: 413 });
  const result = await receiveObjectionForm(fields);
  return objectionFormResponse({ result, request, shownLocale: fields.lang });
};
