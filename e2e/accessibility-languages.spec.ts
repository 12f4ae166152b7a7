import { axeServedHtml } from "./axe-html";
import { expect, test, type TTestMember } from "./fixtures";
import { LOCALES, messagesOf, publicPaths, STATIC_PATHS } from "./public-pages";

// Every language, every public page, as the server sends it: axe's WCAG 2.2 AA rules that read
// the document (e2e/axe-html.ts), the page's language, a title and a heading, and the form's own
// words. What needs a laid-out page (contrast, reflow, focus) runs in Chromium, in English and
// German (accessibility.spec.ts, keyboard.spec.ts).
test.describe("every public page in every language, as served (axe)", () => {
  test("the check finds what it is there to find: a page without lang, alt text, labels or names", async () => {
    const html = `<!doctype html><html><head><title>t</title></head><body><main><h1>t</h1><img src="a.png"><input type="text"><button></button><a href="#"></a></main></body></html>`;
    const { violations } = await axeServedHtml({ html, url: "http://127.0.0.1/" });
    expect(violations.map((violation) => violation.split(":")[0])).toEqual(["button-name", "html-has-lang", "image-alt", "label", "link-name"]);
  });

  for (const locale of LOCALES) {
    test(`${locale}: every public page has <html lang="${locale}">, a title, an h1 and no violations`, async ({ request, createMember, db, baseURL }) => {
      const messages = messagesOf(locale);
      const headers = { cookie: `locale=${locale}` };
      // As a browser without JavaScript objects: the form's plain post.
      const objectAs = async (member: TTestMember) => {
        const response = await request.post("/o/submit", { form: { token: member.token, country: "IE" }, headers, maxRedirects: 0 });
        expect(response.status()).toBe(303);
      };
      const paths = await publicPaths({ objectAs, createMember, db, locale });
      // The member's form returned with errors: it also speaks this language, and its summary takes
      // focus on load (the browser tests prove a browser honours autofocus).
      const formWithErrors = paths[STATIC_PATHS.length + 1];
      const problems: string[] = [];
      for (const pagePath of paths) {
        const response = await request.get(pagePath, { headers });
        const { document, violations } = await axeServedHtml({ html: await response.text(), url: `${baseURL}${pagePath}` });
        const where = pagePath.slice(0, 48);
        if (document.documentElement.lang !== locale) problems.push(`${where}: lang="${document.documentElement.lang}"`);
        if (!document.title.trim()) problems.push(`${where}: no title`);
        if (!document.querySelector("h1")?.textContent?.trim()) problems.push(`${where}: no h1`);
        problems.push(...violations.map((violation) => `${where}: ${violation}`));
        if (pagePath === formWithErrors) {
          expect(document.querySelector("h1")?.textContent).toBe(messages.form.title);
          expect(document.querySelector(".error-summary h2")?.textContent).toBe(messages.form.errorSummaryTitle);
          expect(document.querySelector(".error-summary")?.hasAttribute("autofocus")).toBe(true);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
