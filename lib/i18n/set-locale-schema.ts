import { z } from "zod";

import { isSupportedLocale } from "@/lib/i18n/locales";

export const ZSetLocaleInput = z.object({
  locale: z.string().refine(isSupportedLocale),
  // Only a path on this site: never an open redirect.
  returnTo: z.string().regex(/^\/(?!\/)[^\s\\]*$/).catch("/"),
});
