import Negotiator from "negotiator";

import { isEeaCountry } from "@/lib/members/eea-countries";

/**
 * The EEA country a browser's language preference names (`de-AT` → AT), to preselect on a form
 * the person can still change; null when none does.
 */
export const countryFromLanguage = (acceptLanguage: string | null): string | null => {
  for (const tag of new Negotiator({ headers: { "accept-language": acceptLanguage ?? "" } }).languages()) {
    try {
      const region = new Intl.Locale(tag).region;
      if (region && isEeaCountry(region)) return region;
    } catch {
      // A malformed tag is not the visitor's fault: try the next one.
    }
  }
  return null;
};
