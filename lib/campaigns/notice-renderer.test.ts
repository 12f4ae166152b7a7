import { randomUUID } from "node:crypto";

import { simpleParser } from "mailparser";
import { describe, expect, it } from "vitest";

import { fillNotice, noticeContent, noticeTemplate } from "@/lib/campaigns/notice-renderer";
import { loadMessages, supportedLocales } from "@/lib/i18n/locales";
import { personalLinkToken } from "@/lib/links/personal-link-url";
import { verifyLinkToken } from "@/lib/links/token";
import de from "@/messages/de.json";
import en from "@/messages/en.json";
import { TEST_ENV } from "@/test/test-env";

/** A message with the platform's name put in, as the email shows it. */
const branded = (message: string) => message.replace("{brand}", TEST_ENV.BRAND_NAME);

const tokenFor = (id: string) => personalLinkToken({ subject: { kind: "notification", id } });

const messageIdAt = (domain: string) => `<${randomUUID()}@${domain}>`;

describe("the notice, composed once and filled in per member", () => {
  it("is a complete email with the member's own link in both parts, their address and their notice's Message-ID", async () => {
    const template = await noticeTemplate({ campaignId: randomUUID(), locale: "en" });
    const [first, second] = [randomUUID(), randomUUID()];
    const [firstId, secondId] = [messageIdAt("objection.test"), messageIdAt("objection.test")];
    const rawFirst = fillNotice({ template, token: tokenFor(first), to: "jane.doe+ai@example.eu", messageId: firstId });
    const rawSecond = fillNotice({ template, token: tokenFor(second), to: "max@example.de", messageId: secondId });
    expect(rawFirst).not.toBeNull();

    const mail = await simpleParser(rawFirst ?? "");
    const other = await simpleParser(rawSecond ?? "");
    expect(mail.subject).toBe(branded(en.emails.notice.subject));
    expect(Array.isArray(mail.to) ? undefined : mail.to?.value[0]?.address).toBe("jane.doe+ai@example.eu");
    expect(mail.messageId).toBe(firstId);
    expect(other.messageId).toBe(secondId);
    expect(Math.abs((mail.date?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
    expect(mail.text).toContain(en.emails.notice.never);
    // Who asks, and who answers for the data (GDPR Art. 13).
    expect(mail.text).toContain(TEST_ENV.BRAND_NAME);
    expect(mail.text).toContain(`${TEST_ENV.CONTROLLER_NAME}, ${TEST_ENV.CONTROLLER_ADDRESS}`);
    expect(mail.text).toContain(TEST_ENV.DPO_CONTACT);
    expect(mail.html).toContain(`href="${TEST_ENV.PRIVACY_NOTICE_URL}"`);

    const links = [...(mail.text ?? "").matchAll(/\/o\/([A-Za-z0-9_-]+)/g), ...String(mail.html).matchAll(/href="[^"]*\/o\/([A-Za-z0-9_-]+)"/g)].map((match) => match[1]);
    expect(links).toHaveLength(2);
    for (const token of links) {
      const verified = verifyLinkToken({ token: token ?? "", secrets: [process.env.LINK_SECRET ?? ""] });
      expect(verified.ok && verified.subject.id).toBe(first);
    }
  });

  it("speaks the member's language and falls back to English", async () => {
    const campaignId = randomUUID();
    const german = await simpleParser(fillNotice({ template: await noticeTemplate({ campaignId, locale: "de" }), token: tokenFor(randomUUID()), to: "a@b.de", messageId: messageIdAt("x.test") }) ?? "");
    const unknown = await noticeTemplate({ campaignId, locale: "ja" });
    expect(german.subject).toBe(branded(de.emails.notice.subject));
    expect(unknown.subject).toBe(branded(en.emails.notice.subject));
  });

  it("keeps an address with $ patterns as written", async () => {
    const template = await noticeTemplate({ campaignId: randomUUID(), locale: "en" });
    const mail = await simpleParser(fillNotice({ template, token: tokenFor(randomUUID()), to: "a$&$1b@example.eu", messageId: messageIdAt("x.test") }) ?? "");
    expect(Array.isArray(mail.to) ? undefined : mail.to?.value[0]?.address).toBe("a$&$1b@example.eu");
  });

  it("leaves an address that needs header encoding to full composition, with the same content", async () => {
    const template = await noticeTemplate({ campaignId: randomUUID(), locale: "en" });
    const token = tokenFor(randomUUID());
    expect(fillNotice({ template, token, to: "jürgen@example.de", messageId: messageIdAt("x.test") })).toBeNull();
    const content = noticeContent({ template, token });
    expect(content.text).toContain(`/o/${token}`);
    expect(content.html).toContain(`/o/${token}`);
    expect(content.html).not.toContain("~");
  });

  it.each(supportedLocales())("renders in %s, with that language's subject, text and lang", async (locale) => {
    const messages = loadMessages(locale);
    const template = await noticeTemplate({ campaignId: randomUUID(), locale });
    const mail = await simpleParser(fillNotice({ template, token: tokenFor(randomUUID()), to: "reader@example.eu", messageId: messageIdAt("objection.test") }) ?? "");
    expect(mail.subject).toBe(branded(messages.emails.notice.subject));
    expect(mail.html).toContain(`lang="${locale}"`);
    expect(mail.text).toContain(messages.emails.notice.never);
    expect(mail.text).toContain(messages.emails.notice.button);
    expect(mail.text).toContain(messages.emails.common.privacyNotice);
  });
});

// Bulgarian and Greek notices once arrived with the text part's link still a row of "~": for
// text mostly outside ASCII the composer chose base64, where the placeholder cannot be found.
describe("the notice in every language", () => {
  /** Every personal link in the email, per MIME part, as a mail client decodes the parts. */
  const linksIn = async (raw: string) => {
    const mail = await simpleParser(raw);
    const text = mail.text ?? "";
    const html = String(mail.html);
    return {
      text: [...text.matchAll(/\/o\/([^\s"<>]+)/g)].map((match) => match[1]!),
      html: [...html.matchAll(/href="[^"]*\/o\/([^"]+)"/g)].map((match) => match[1]!),
      placeholders: (text.match(/~{8,}/g)?.length ?? 0) + (html.match(/~{8,}/g)?.length ?? 0),
    };
  };

  for (const locale of supportedLocales()) {
    it(`${locale}: the link in the text part and in the HTML part opens this member's notice`, async () => {
      const template = await noticeTemplate({ campaignId: randomUUID(), locale });
      expect(template.language).toBe(locale);
      const notification = randomUUID();
      const raw = fillNotice({ template, token: tokenFor(notification), to: "member@example.eu", messageId: messageIdAt("objection.test") });
      const { text, html, placeholders } = await linksIn(raw ?? "");
      expect(placeholders).toBe(0);
      expect(text.length).toBeGreaterThanOrEqual(1);
      expect(html.length).toBeGreaterThanOrEqual(1);
      for (const token of [...text, ...html]) {
        const verified = verifyLinkToken({ token, secrets: [process.env.LINK_SECRET ?? ""] });
        expect(verified.ok && verified.subject.id).toBe(notification);
      }
    });
  }
});
