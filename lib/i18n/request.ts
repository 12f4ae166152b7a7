import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";

import { PAGE_CHOSEN_LOCALE_HEADER, PAGE_PATH_HEADER } from "@/lib/i18n/page-headers";
import { loadMessages } from "@/lib/i18n/locales";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";
import { linkSubjectLocale } from "@/lib/links/link-subject-locale";

export default getRequestConfig(async () => {
  const requestHeaders = await headers();
  // proxy.ts passes the page's path and the switcher's `?lang=` on: a layout is not told either.
  const pathname = requestHeaders.get(PAGE_PATH_HEADER);
  const locale = resolveLocale({
    chosenLocale: requestHeaders.get(PAGE_CHOSEN_LOCALE_HEADER),
    subjectLocale: pathname ? await linkSubjectLocale(pathname) : null,
    cookieLocale: (await cookies()).get(LOCALE_COOKIE)?.value,
    acceptLanguage: requestHeaders.get("accept-language"),
  });
  return { locale, messages: loadMessages(locale), timeZone: "UTC" };
});
