// For the console, which is in English: a member's language as a reviewer reads it.
const englishNames = new Intl.DisplayNames(["en"], { type: "language" });

/** `de` → `German (de)`; a tag Intl does not know stays as it is. */
export const languageName = (locale: string) => {
  let name: string | undefined;
  try {
    name = englishNames.of(locale);
  } catch {
    name = undefined;
  }
  return name && name !== locale ? `${name} (${locale})` : locale;
};
