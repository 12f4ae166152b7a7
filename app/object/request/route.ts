import { cookies } from "next/headers";

import { formPostRefused } from "@/lib/forms/form-post-refused";
import { readFormFields } from "@/lib/forms/read-form-fields";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";
import { linkRequestResponse } from "@/lib/objections/link-request-response";
import { receiveLinkRequest } from "@/lib/objections/receive-link-request";

const MAX_FORM_BYTES = 4 * 1024;

// The /object form posts here, with or without JavaScript. A route handler rather than a server
// action: it answers 429 with a page, and takes a post from a page sent with no Referer or Origin.
export const POST = async (request: Request) => {
  const read = await readFormFields(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok) return formPostRefused({ problem: read.problem, maxBytes: MAX_FORM_BYTES, outcome: "nothing was sent" });
  const { fields } = read;
  const locale = resolveLocale({ cookieLocale: (await cookies()).get(LOCALE_COOKIE)?.value, acceptLanguage: request.headers.get("accept-language") });
  const result = await receiveLinkRequest({ fields, headers: request.headers, locale });
  return linkRequestResponse({ result, request, locale });
};
