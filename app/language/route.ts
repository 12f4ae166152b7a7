import { languageSwitchTarget } from "@/lib/i18n/language-switch-target";
import { LOCALE_COOKIE } from "@/lib/i18n/resolve-locale";
import { ZSetLocaleInput } from "@/lib/i18n/set-locale-schema";

/**
 * POST /language (the language switcher's plain form): sets the language cookie and goes back.
 * A route handler, not a server action: pages sent with `Referrer-Policy: no-referrer` make a
 * browser post with `Origin: null`, which server actions refuse.
 */
export const POST = async (request: Request) => {
  const form = await request.formData().catch(() => null);
  const parsed = ZSetLocaleInput.safeParse(form ? Object.fromEntries(form) : {});
  if (!parsed.success) return new Response(null, { status: 303, headers: { location: "/" } });
  const cookie = `${LOCALE_COOKIE}=${encodeURIComponent(parsed.data.locale)}; Path=/; Max-Age=${60 * 60 * 24 * 365}; SameSite=Lax; HttpOnly`;
  return new Response(null, { status: 303, headers: { location: languageSwitchTarget(parsed.data), "set-cookie": cookie } });
};
