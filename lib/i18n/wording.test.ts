import { describe, expect, it } from "vitest";

import { loadMessages, supportedLocales } from "@/lib/i18n/locales";

type TMessageTree = { [key: string]: string | TMessageTree };

const texts = (tree: TMessageTree): string[] => Object.values(tree).flatMap((value) => (typeof value === "string" ? [value] : texts(value)));

/** The word each language uses for the nightly export to the training pipeline (statusPage's). */
const EXPORT_WORD: Record<string, RegExp> = {
  bg: /експорт/, cs: /export/, da: /eksport/, de: /Export/, el: /εξαγωγ/, en: /export/, es: /exportación/, et: /eksport/, fi: /vienn|vienti/, fr: /export/,
  ga: /easpórtáil/, hr: /izvoz/, hu: /[Ee]xport/, is: /útflutning/, it: /esportazione/, lt: /eksport/, lv: /eksport/, mt: /esportazzjoni/, nb: /eksport/, nl: /export/,
  pl: /ekspor[tc]/, pt: /exportação/, ro: /export/, sk: /export/, sl: /izvoz/, sv: /export/,
};

describe("one term for the nightly export", () => {
  it("is 'tonight's export' in English: no page says 'tonight's list'", () => {
    expect(texts(loadMessages("en") as TMessageTree).filter((text) => /tonight's list|the list for the training pipeline|into the list/i.test(text))).toEqual([]);
  });

  it.each(supportedLocales())("%s: the confirmation and the status page name it with the same word", (locale) => {
    const { confirmation, statusPage } = loadMessages(locale);
    for (const text of [confirmation.next, confirmation.pipelinePending, confirmation.pipelineIncluded, statusPage.pipelinePending, statusPage.pipelineExported])
      expect(text, locale).toMatch(EXPORT_WORD[locale]!);
  });
});

describe("one term for an objection's reference in German", () => {
  it("is 'Aktenzeichen' everywhere, never 'Referenz'", () => {
    const german = texts(loadMessages("de") as TMessageTree);
    expect(german.filter((text) => /Referenz/.test(text))).toEqual([]);
    expect(german.filter((text) => /Aktenzeichen/.test(text)).length).toBeGreaterThanOrEqual(4);
  });
});

describe("status text that fits the status", () => {
  it.each(supportedLocales())("%s: a sent receipt is not 'on its way', and a closed objection's footer does not say it takes effect", (locale) => {
    const { confirmation, common, statusPage } = loadMessages(locale);
    expect(confirmation.receiptSent).not.toBe(confirmation.receipt);
    expect(statusPage.withdrawnEmailSent).not.toBe(statusPage.withdrawnEmail);
    expect(common.footer.startsWith(common.footerNeverUsed)).toBe(false);
    expect(common.footer.endsWith(common.footerNeverUsed)).toBe(true);
    expect(statusPage.objectedOn).not.toBe(statusPage.effectiveAt);
  });
});
