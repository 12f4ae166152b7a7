import { simpleParser } from "mailparser";
import MailComposer from "nodemailer/lib/mail-composer";
import { describe, expect, it } from "vitest";

import { supportedLocales } from "@/lib/i18n/locales";
import { renderReceipt } from "@/lib/objections/receipt-renderer";

// The receipt is composed once per language with placeholders, like the notice: in every language,
// each MIME part, decoded as a mail client decodes it, holds the status link filled in.
describe("the receipt in every language", () => {
  for (const locale of supportedLocales()) {
    it(`${locale}: the status link in the text part and in the HTML part`, async () => {
      const statusUrl = `http://localhost:3999/s/${"A".repeat(40)}-${locale}`;
      const { subject, html, text } = await renderReceipt({ locale, values: { date: "1 January 2027", countryName: "Malta", reference: "0ABCD-EFGHJ-KMNPQ-RSTVW-XYZ01", statusUrl } });
      const raw = await new MailComposer({ from: "a@objection.test", to: "member@example.eu", subject, html, text }).compile().build();
      const mail = await simpleParser(raw);
      expect(mail.text).toContain(statusUrl);
      expect(String(mail.html)).toContain(`href="${statusUrl}"`);
      expect(`${mail.text}${String(mail.html)}`).not.toMatch(/⟦\d⟧/);
    });
  }
});
