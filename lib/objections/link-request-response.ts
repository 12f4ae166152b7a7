import "server-only";

import { env } from "@/lib/env";
import { simplePageResponse } from "@/lib/html/simple-page";
import { formatDateTimeIn } from "@/lib/i18n/date-format";
import { translatorFor } from "@/lib/i18n/translator";
import type { TLinkRequestResult } from "@/lib/objections/receive-link-request";

/** Where a browser without JavaScript lands once the request is taken: the same page for every address. */
export const LINK_REQUEST_SENT_PATH = "/object/sent";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

/** "You can try again from 1 December 2026 at 09:15 UTC", in the visitor's language: nothing tells their clock here. */
const limitedMessage = ({ locale, retryAt }: { locale: string; retryAt: Date }) =>
  translatorFor(locale)("requestLink.limited", { time: formatDateTimeIn({ locale, timeZone: "UTC", date: retryAt }) });

const retryAfterSeconds = (retryAt: Date) => String(Math.max(1, Math.ceil((retryAt.getTime() - Date.now()) / 1000)));

/**
 * A post from another site's page (which could make each of its visitors ask for links). In
 * English only: no person using this site's own form ever sees it.
 */
const foreignOriginMessage = () => `The request came from another website, so nothing was sent. To get your link, open ${env().APP_URL}/object and enter your address there.`;

/**
 * The answer to an /object post. With JavaScript the form asks for JSON; without it the browser
 * follows a redirect, or reads a page that carries the status itself (429, 503).
 */
export const linkRequestResponse = ({ result, request, locale }: { result: TLinkRequestResult; request: Request; locale: string }) => {
  const wantsJson = request.headers.get("accept")?.includes("application/json") ?? false;
  const t = translatorFor(locale);

  if (wantsJson) {
    const headers: Record<string, string> = { "cache-control": "no-store" };
    switch (result.status) {
      case "sent":
        return Response.json({ status: "sent" }, { status: 202, headers });
      case "invalid":
        return Response.json({ status: "invalid", fieldErrors: result.fieldErrors }, { status: 422, headers });
      case "limited":
        return Response.json(
          { status: "limited", retryAt: result.retryAt.toISOString(), message: limitedMessage({ locale, retryAt: result.retryAt }) },
          { status: 429, headers: { ...headers, "retry-after": retryAfterSeconds(result.retryAt) } },
        );
      case "foreign_origin":
        return Response.json({ status: "foreign_origin", message: foreignOriginMessage() }, { status: 403, headers });
      case "error":
        return Response.json({ status: "error" }, { status: 503, headers: { ...headers, "retry-after": "5" } });
    }
  }

  switch (result.status) {
    case "sent":
      return seeOther(LINK_REQUEST_SENT_PATH);
    case "invalid":
      // Message keys only: never what the person typed.
      return seeOther(`/object?${new URLSearchParams(Object.entries(result.fieldErrors).map(([field, key]) => ["error", `${field}:${key}`])).toString()}`);
    case "limited":
      return simplePageResponse({
        locale,
        title: t("requestLink.limitedTitle"),
        body: limitedMessage({ locale, retryAt: result.retryAt }),
        link: { href: "/object", label: t("requestLink.back") },
        status: 429,
        headers: { "retry-after": retryAfterSeconds(result.retryAt) },
      });
    case "foreign_origin":
      return simplePageResponse({
        locale: "en",
        title: "Use the form on this site",
        body: foreignOriginMessage(),
        link: { href: `${env().APP_URL}/object`, label: "Open the form" },
        status: 403,
      });
    case "error":
      return simplePageResponse({
        locale,
        title: t("errors.serverTitle"),
        body: t("errors.serverBody"),
        link: { href: "/object", label: t("errors.tryAgain") },
        status: 503,
        headers: { "retry-after": "5" },
      });
  }
};
