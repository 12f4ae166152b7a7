// The assigned ISO 3166-1 alpha-2 codes, from i18n-iso-countries (maintained, offline, MIT): its
// codes.json is the list the package's own getAlpha2Codes() reads, taken alone so that neither the
// server nor the browser loads the package's names in 80 languages. The list holds XK (Kosovo), a
// user-assigned code that the EU and platforms use for members living there: refusing it would
// fail a whole sync batch for a real member. Every other code is officially assigned; XX, ZZ, AA
// and the other user-assigned codes are not in it.
import codes from "i18n-iso-countries/codes.json";

const ALPHA_2 = /^[A-Z]{2}$/;

/** Every assigned ISO 3166-1 alpha-2 code, in capitals, sorted: for z.enum(), which the OpenAPI document lists. */
export const ISO_COUNTRIES = codes
  .map(([alpha2]) => alpha2)
  .filter((code): code is string => typeof code === "string" && ALPHA_2.test(code))
  .sort() as [string, ...string[]];

const ASSIGNED = new Set<string>(ISO_COUNTRIES);

/** Whether `value` is an assigned ISO 3166-1 alpha-2 code, in capitals: `GR`, not `gr`, `EL` or `XX`. */
export const isIsoCountry = (value: string) => ASSIGNED.has(value);
