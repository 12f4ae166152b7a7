import "server-only";

import { readBodyCapped } from "@/lib/http/read-body-capped";

export type TFormProblem = "too_large" | "not_a_form";

export type TFormRead = { ok: true; form: FormData } | { ok: false; problem: TFormProblem };

const URL_ENCODED = "application/x-www-form-urlencoded";
const MULTIPART = "multipart/form-data";

/**
 * The form in a post's body, url-encoded or multipart, read with a cap of `maxBytes` (lib/http's
 * reader: a chunked body is refused as soon as it passes the cap). A body of another type is not read.
 */
export const readForm = async (request: Request, { maxBytes }: { maxBytes: number }): Promise<TFormRead> => {
  const contentType = request.headers.get("content-type") ?? "";
  const type = contentType.split(";")[0]!.trim().toLowerCase();
  if (type !== URL_ENCODED && type !== MULTIPART) return { ok: false, problem: "not_a_form" };
  const body = await readBodyCapped(request, { maxBytes });
  if (!body.ok) return { ok: false, problem: body.problem === "too_large" ? "too_large" : "not_a_form" };
  if (type === URL_ENCODED) {
    const form = new FormData();
    for (const [name, value] of new URLSearchParams(new TextDecoder().decode(body.bytes))) form.append(name, value);
    return { ok: true, form };
  }
  // The bytes are already capped: undici's own multipart parser reads them, no hand-written one.
  try {
    return { ok: true, form: await new Response(body.bytes, { headers: { "content-type": contentType } }).formData() };
  } catch {
    return { ok: false, problem: "not_a_form" };
  }
};
