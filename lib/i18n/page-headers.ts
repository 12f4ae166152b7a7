/** Request headers proxy.ts sets on every page request (and overwrites if a client sent them). */
export const PAGE_PATH_HEADER = "x-objection-page-path";
export const PAGE_CHOSEN_LOCALE_HEADER = "x-objection-chosen-locale";
