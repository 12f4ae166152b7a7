import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";

import { loadMessages } from "@/lib/i18n/locales";
import { LOCALE_COOKIE, resolveLocale } from "@/lib/i18n/resolve-locale";

export default getRequestConfig(async () => {
  const locale = resolveLocale({
    cookieLocale: (await cookies()).get(LOCALE_COOKIE)?.value,
    acceptLanguage: (await headers()).get("accept-language"),
  });
  return { locale, messages: loadMessages(locale), timeZone: "UTC" };
});
