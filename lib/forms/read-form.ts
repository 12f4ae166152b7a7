import "server-only";

import { readBodyCapped } from "@/lib/http/read-body-capped";

export type TFormProblem = "too_large" | "not_a_form";

export type TFormRead = { ok: true; form: FormData } | { ok: false; problem: TFormProblem };

const URL_ENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

type TFormBody = { ok: true; type: typeof URL_ENCODED | typeof MULTIPART; contentType: string; bytes: Uint8Array<ArrayBuffer> } | { ok: false; problem: TFormProblem };

/**
 * A form post's body, url-encoded or multipart, read with a cap of `maxBytes` (lib/http's reader: a
 * chunked body is refused as soon as it passes the cap). A body of another type is not read.
 */
export const readFormBody = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<TFormBody> => {
  const contentType = request.headers.get("content-type") ?? "";
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type !== URL_ENCODED && type !== MULTIPART) return { ok: false, problem: "not_a_form" };
  const body = await readBodyCapped(request, { maxBytes });
  if (!body.ok) return { ok: false, problem: body.problem === "too_large" ? "too_large" : "not_a_form" };
  return { ok: true, type, contentType, bytes: body.bytes };
};

/** A url-encoded body's fields, decoded once. */
export const urlEncodedFields = (bytes: Uint8Array) => new URLSearchParams(new TextDecoder().decode(bytes));

/** A multipart body as FormData: the bytes are already capped, and undici's own parser reads them, no hand-written one. */
export const multipartForm = async ({ bytes, contentType }: { bytes: Uint8Array<ArrayBuffer>; contentType: string }) => {
  try {
    return await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    return null;
  }
};

/** The form in a post's body as FormData (files included), read with a cap of `maxBytes` (see readFormBody). */
export const readForm = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<TFormRead> => {
  const body = await readFormBody(request, { maxBytes });
  if (!body.ok) return body;
  if (body.type === URL_ENCODED) {
    const form = new FormData();
    for (const [name, value] of urlEncodedFields(body.bytes)) form.append(name, value);
    return { ok: true, form };
  }
  const form = await multipartForm(body);
  return form ? { ok: true, form } : { ok: false, problem: "not_a_form" };
};
