import "server-only";

import { multipartForm, readFormBody, type TFormProblem, urlEncodedFields } from "@/lib/forms/read-form";

export type TFormFields = { ok: true; fields: Record<string, string> } | { ok: false; problem: TFormProblem };

const textEntries = (entries: Iterable<[string, FormDataEntryValue]>) => Object.fromEntries([...entries].filter((entry): entry is [string, string] => typeof entry[1] === "string"));

/**
 * A form post's text fields (url-encoded or multipart), read with a cap of `maxBytes` (see
 * readFormBody). A url-encoded body, what the public forms post, goes straight from its text to the
 * fields, with no FormData in between; of a repeated name, the last value counts.
 */
export const readFormFields = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<TFormFields> => {
  const body = await readFormBody(request, { maxBytes });
  if (!body.ok) return body;
  if (body.type === "application/x-www-form-urlencoded") return { ok: true, fields: Object.fromEntries(urlEncodedFields(body.bytes)) };
  const form = await multipartForm(body);
  return form ? { ok: true, fields: textEntries(form.entries()) } : { ok: false, problem: "not_a_form" };
};
