import { render } from "@react-email/render";
import { describe, expect, it } from "vitest";

import { AddressLink } from "@/emails/address-link";
import { ObjectionNotice } from "@/emails/objection-notice";
import { ObjectionReceipt } from "@/emails/objection-receipt";
import { ObjectionRejection } from "@/emails/objection-rejection";
import { ObjectionWithdrawn } from "@/emails/objection-withdrawn";
import { PersonalLink } from "@/emails/personal-link";
import { loadMessages, supportedLocales } from "@/lib/i18n/locales";
import { trainingStartIn } from "@/lib/objections/training-start";

describe("every email a member gets", () => {
  it.each([
    ["the notice", <ObjectionNotice key="notice" {...ObjectionNotice.PreviewProps} />],
    ["the receipt", <ObjectionReceipt key="receipt" {...ObjectionReceipt.PreviewProps} />],
    ["the withdrawal", <ObjectionWithdrawn key="withdrawn" {...ObjectionWithdrawn.PreviewProps} />],
    ["the rejection", <ObjectionRejection key="rejection" {...ObjectionRejection.PreviewProps} />],
    ["the personal link", <PersonalLink key="personal" {...PersonalLink.PreviewProps} />],
    ["the address link", <AddressLink key="address" {...AddressLink.PreviewProps} />],
  ])("%s carries a viewport meta tag, so a phone lays it out at its own width", async (_name, email) => {
    expect(await render(email)).toMatch(/<meta[^>]*name="viewport"[^>]*content="width=device-width, initial-scale=1"/);
  });
});

describe("the notice and the start of AI training", () => {
  const notice = ObjectionNotice.PreviewProps;

  it("names the day training starts, in each of the 26 languages, when TRAINING_STARTS_AT is set", async () => {
    for (const locale of supportedLocales()) {
      const messages = loadMessages(locale);
      const trainingStartsOn = trainingStartIn({ day: "2027-03-01", locale })?.date ?? "";
      const text = await render(<ObjectionNotice {...notice} locale={locale} messages={messages} trainingStartsOn={trainingStartsOn} />, { plainText: true });
      expect(text, locale).toContain(messages.emails.notice.trainingStarts.replace("{date}", trainingStartsOn));
      expect(text, locale).toMatch(/2027/);
    }
  });

  it("names no day when it is not set", async () => {
    const text = await render(<ObjectionNotice {...notice} trainingStartsOn={undefined} />, { plainText: true });
    expect(text).not.toContain("Start of AI training");
    expect(text).not.toMatch(/2027/);
  });
});
