import "server-only";

import { readForm, type TFormProblem } from "@/lib/forms/read-form";

export type TFormFields = { ok: true; fields: Record<string, string> } | { ok: false; problem: TFormProblem };

/** A form post's text fields (url-encoded or multipart), read with a cap of `maxBytes` (see readForm). */
export const readFormFields = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<TFormFields> => {
  const read = await readForm(request, { maxBytes });
  if (!read.ok) return read;
  return { ok: true, fields: Object.fromEntries([...read.form.entries()].filter((entry): entry is [string, string] => typeof entry[1] === "string")) };
};
