"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";

import { isSupportedLocale } from "@/lib/i18n/locales";
import { LOCALE_COOKIE } from "@/lib/i18n/resolve-locale";

const ZSetLocaleInput = z.object({
  locale: z.string().refine(isSupportedLocale),
  // Only a path on this site: never an open redirect.
  returnTo: z.string().regex(/^\/(?!\/)[^\s\\]*$/).catch("/"),
});

export const setLocaleAction = async (formData: FormData) => {
  const parsed = ZSetLocaleInput.safeParse(Object.fromEntries(formData));
  if (!parsed.success) redirect("/");
  (await cookies()).set(LOCALE_COOKIE, parsed.data.locale, { path: "/", maxAge: 60 * 60 * 24 * 365, sameSite: "lax", httpOnly: true });
  redirect(parsed.data.returnTo);
};
