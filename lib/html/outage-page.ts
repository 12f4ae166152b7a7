import "server-only";

import { simplePageResponse } from "@/lib/html/simple-page";
import { translatorFor } from "@/lib/i18n/translator";

/**
 * The page for a request the database could not answer: 503 with Retry-After, in the visitor's
 * language, with one link back to where they were (the form, the personal link).
 */
export const outagePageResponse = ({ locale, retryPath }: { locale: string; retryPath: string }) => {
  const t = translatorFor(locale);
  return simplePageResponse({
    locale,
    title: t("errors.serverTitle"),
    body: t("errors.serverBody"),
    link: { href: retryPath, label: t("errors.tryAgain") },
    status: 503,
    headers: { "retry-after": "5" },
  });
};
