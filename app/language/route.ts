import { formTooLarge } from "@/lib/forms/form-post-refused";
import { readFormFields } from "@/lib/forms/read-form-fields";
import { languageSwitchTarget } from "@/lib/i18n/language-switch-target";
import { LOCALE_COOKIE } from "@/lib/i18n/resolve-locale";
import { ZSetLocaleInput } from "@/lib/i18n/set-locale-schema";

const MAX_FORM_BYTES = 4 * 1024;

/**
 * POST /language (the language switcher's plain form): sets the language cookie and goes back.
 * A route handler, not a server action: pages sent with `Referrer-Policy: no-referrer` make a
 * browser post with `Origin: null`, which server actions refuse.
 */
export const POST = async (request: Request) => {
  const read = await readFormFields(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok && read.problem === "too_large") return formTooLarge({ maxBytes: MAX_FORM_BYTES, outcome: "the language was not changed" });
  const parsed = ZSetLocaleInput.safeParse(read.ok ? read.fields : {});
  if (!parsed.success) return new Response(null, { status: 303, headers: { location: "/" } });
  const cookie = `${LOCALE_COOKIE}=${encodeURIComponent(parsed.data.locale)}; Path=/; Max-Age=${60 * 60 * 24 * 365}; SameSite=Lax; HttpOnly`;
  return new Response(null, { status: 303, headers: { location: languageSwitchTarget(parsed.data), "set-cookie": cookie } });
};
