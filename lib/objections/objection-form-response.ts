import "server-only";

import { cookies } from "next/headers";

import { outagePageResponse } from "@/lib/html/outage-page";
import { withShownLocale } from "@/lib/i18n/language-switch-target";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";
import { ZLinkToken } from "@/lib/links/token";
import type { TObjectionFormResult } from "@/lib/objections/receive-objection-form";

const formPath = (token: string) => (ZLinkToken.safeParse(token).success ? `/o/${token}` : "/o/invalid");

/** Marks the redirect after a stored objection: the confirmation's heading takes focus as the page loads. */
export const STORED_PARAM = "stored";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

/**
 * The answer to an objection form post. With JavaScript the form asks for JSON; without it the
 * browser follows a redirect: to the personal link page, which shows the objection once stored,
 * the friendly page for a link that cannot be used, or the form again with the errors.
 */
export const objectionFormResponse = async ({ result, request, shownLocale }: { result: TObjectionFormResult; request: Request; shownLocale?: string }) => {
  const wantsJson = request.headers.get("accept")?.includes("application/json") ?? false;
  if (wantsJson) {
    const status = { stored: 200, invalid: 422, invalid_link: 404, error: 503 }[result.status];
    const body = result.status === "invalid" ? { status: result.status, fieldErrors: result.fieldErrors } : { status: result.status };
    return Response.json(body, { status, headers: { "cache-control": "no-store", ...(status === 503 ? { "retry-after": "5" } : {}) } });
  }

  switch (result.status) {
    case "stored":
      return seeOther(withShownLocale({ path: `${formPath(result.token)}?${STORED_PARAM}=1`, locale: shownLocale }));
    case "invalid_link":
      return seeOther("/o/invalid");
    case "invalid": {
      // Message keys and a country code only: never what the person wrote.
      const query = new URLSearchParams(Object.entries(result.fieldErrors).map(([field, key]) => ["error", `${field}:${key}`]));
      if (/^[A-Z]{2}$/.test(result.country)) query.set("country", result.country);
      return seeOther(withShownLocale({ path: `${formPath(result.token)}?${query.toString()}`, locale: shownLocale }));
    }
    case "error": {
      // An outage: the browser's Back button returns to the form as it was left.
      // Read only here: the visitor's language matters only for this page.
      const locale = resolveLocale({ cookieLocale: (await cookies()).get(LOCALE_COOKIE)?.value, acceptLanguage: request.headers.get("accept-language") });
      return outagePageResponse({ locale, retryPath: formPath(result.token) });
    }
  }
};
