import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";

import { loadMessages, supportedLocales } from "@/lib/i18n/locales";
import { COUNT_MARK, COUNT_STAND_IN, counterTemplate, ENHANCEMENT_SCRIPT, lightFormPage } from "@/lib/links/light-form-page";

const NONCE = "TemplateNonce_0123456789";

// Next's output for the form's template, shortened: stylesheet and script preloads in the head,
// the bootstrap scripts, the form, then the page data (flight) scripts before </body>.
const FORM = `<form action="/o/submit" method="post" novalidate=""><input type="hidden" name="token" value="TEMPLATE"/><textarea id="reason" rows="4" maxLength="2000" class="input" aria-describedby="reason-hint reason-counter" name="reason"></textarea><p id="reason-counter" class="hint counter" data-counter="${COUNT_MARK} of 2,000 characters">0 of 2,000 characters</p><button type="submit" class="button button-primary">Object</button></form>`;
const NEXT_PAGE = [
  `<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>`,
  `<link rel="stylesheet" href="/_next/static/chunks/0f3a9c.css" nonce="${NONCE}" data-precedence="next"/>`,
  `<link rel="preload" href="/_next/static/media/font.woff2" as="font" crossorigin="" type="font/woff2"/>`,
  `<link rel="preload" as="script" fetchPriority="low" nonce="${NONCE}" href="/_next/static/chunks/turbopack-1a2b.js"/>`,
  `<link rel="modulepreload" href="/_next/static/chunks/main-3c4d.js" nonce="${NONCE}"/>`,
  `<script src="/_next/static/chunks/5e6f.js" async="" nonce="${NONCE}"></script>`,
  `<script src="/_next/static/chunks/polyfills-7a8b.js" noModule="" nonce="${NONCE}"></script>`,
  `<title>Object to AI training</title></head><body><a href="#main" class="skip-link">Skip to content</a><main id="main">${FORM}</main>`,
  `<script nonce="${NONCE}">requestAnimationFrame(function(){$RT=performance.now()});</script>`,
  `<script nonce="${NONCE}">(self.__next_f=self.__next_f||[]).push([0])</script>`,
  `<script nonce="${NONCE}">self.__next_f.push([1,"1:\\"$Sreact.fragment\\"\\n2:I[\\"/_next/static/chunks/9c0d.js\\"]\\n\\u003c/script\\u003e"])</script>`,
  `</body></html>`,
].join("");

/** Runs the enhancement script against stand-ins for the two elements it touches; returns a way to type and read the counter. */
const runScript = ({ html, lang }: { html: string; lang: string }) => {
  const counterMessage = /data-counter="([^"]*)"/.exec(html)?.[1];
  const listeners: (() => void)[] = [];
  const reason = { value: "", addEventListener: (type: string, listener: () => void) => type === "input" && listeners.push(listener) };
  const counter = { textContent: "0 of 2,000 characters", dataset: { counter: counterMessage } };
  const document = { documentElement: { lang }, getElementById: (id: string) => ({ reason, "reason-counter": counter })[id] ?? null };
  new Function("document", ENHANCEMENT_SCRIPT)(document);
  return (value: string) => {
    reason.value = value;
    for (const listener of listeners) listener();
    return counter.textContent;
  };
};

describe("the form's template without Next's scripts", () => {
  const light = lightFormPage({ html: NEXT_PAGE, nonce: NONCE });

  it("keeps one script, the enhancement, carrying the template's nonce (swapped for each response's), and no other", () => {
    expect(light.nonce).toBe(NONCE);
    expect(light.html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g)).toEqual([`<script nonce="${NONCE}">${ENHANCEMENT_SCRIPT}</script>`]);
    expect(light.html).not.toContain("__next_f");
    expect(light.html).not.toContain("/_next/static/chunks/5e6f.js");
    expect(light.html.endsWith(`${ENHANCEMENT_SCRIPT}</script></body></html>`)).toBe(true);
  });

  it("drops script preloads and keeps the stylesheet and other preloads", () => {
    expect(light.html).not.toContain("turbopack-1a2b.js");
    expect(light.html).not.toContain("modulepreload");
    expect(light.html).toContain(`<link rel="stylesheet" href="/_next/static/chunks/0f3a9c.css" nonce="${NONCE}" data-precedence="next"/>`);
    expect(light.html).toContain(`<link rel="preload" href="/_next/static/media/font.woff2" as="font"`);
  });

  it("leaves the form as rendered, the textarea's maxlength and the counter's message included", () => {
    expect(light.html).toContain(`<main id="main">${FORM}</main>`);
  });

  it("is a few hundred bytes of script", () => {
    expect(ENHANCEMENT_SCRIPT.length).toBeLessThan(500);
  });

  it("leaves a page whose content a script would reveal (a Suspense boundary streamed late) as it was", () => {
    const streamed = { html: `<html><body><!--$?--><template id="B:0"></template>…<!--/$--><div hidden id="S:0">${FORM}</div><script>$RC("B:0","S:0")</script></body></html>`, nonce: NONCE };
    expect(lightFormPage(streamed)).toEqual(streamed);
  });
});

describe("the live counter", () => {
  it("counts what is typed, with the number written the page's language's way", () => {
    const type = runScript({ html: FORM, lang: "en" });
    expect(type("Not for training.")).toBe("17 of 2,000 characters");
    expect(type("x".repeat(1234))).toBe("1,234 of 2,000 characters");
  });

  it("leaves the counter alone when the page carries no message for it", () => {
    const type = runScript({ html: FORM.replace(/ data-counter="[^"]*"/, ""), lang: "en" });
    expect(type("abc")).toBe("0 of 2,000 characters");
  });

  it("has a message with the count's place in every language, which reads as the server's own counter", () => {
    for (const locale of supportedLocales()) {
      const t = createTranslator({ locale, messages: loadMessages(locale) });
      const template = counterTemplate({ text: t("form.reasonCounter", { count: COUNT_STAND_IN, max: 2000 }), locale });
      expect(template, locale).toContain(COUNT_MARK);
      const type = runScript({ html: `<p data-counter="${template}">`, lang: locale });
      expect(type("x".repeat(1234)), locale).toBe(t("form.reasonCounter", { count: 1234, max: 2000 }));
    }
  });
});
