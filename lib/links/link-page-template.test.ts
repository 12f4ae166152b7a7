import { describe, expect, it } from "vitest";

import { fillLinkPageTemplate, signTemplateRequest, TEMPLATE_EMAIL, TEMPLATE_TOKEN, verifyTemplateRequest } from "@/lib/links/link-page-template";

const NONCE = "TemplateNonce_0123456789";
const page = (html: string) => ({ html, nonce: NONCE });

describe("the link page template", () => {
  it("fills in every occurrence of the token and the masked address, and nothing else", () => {
    const template = page(`<input value="${TEMPLATE_TOKEN}"><p>${TEMPLATE_EMAIL}</p><script>push("${TEMPLATE_TOKEN}","${TEMPLATE_EMAIL}")</script>`);
    const token = "A".repeat(72);
    expect(fillLinkPageTemplate({ template, token, maskedEmail: "j•••@example.eu", nonce: NONCE })).toBe(
      `<input value="${token}"><p>j•••@example.eu</p><script>push("${token}","j•••@example.eu")</script>`,
    );
  });

  it("gives every script this response's nonce instead of the one the template was rendered with", () => {
    const template = page(`<link rel="preload" as="script" nonce="${NONCE}" href="/a.js"><script nonce="${NONCE}">self.__next_f.push([1,"${TEMPLATE_TOKEN}"])</script><script src="/b.js" nonce="${NONCE}" async></script>`);
    const filled = fillLinkPageTemplate({ template, token: "x".repeat(72), maskedEmail: "j•••@example.eu", nonce: "fresh-nonce_4567890123" });
    expect(filled).not.toContain(NONCE);
    expect(filled.match(/nonce="fresh-nonce_4567890123"/g)).toHaveLength(3);
    expect(filled).toBe(template.html.replaceAll(NONCE, "fresh-nonce_4567890123").replace(TEMPLATE_TOKEN, "x".repeat(72)));
  });

  it("writes a character that would need escaping in HTML or in the script as a dot", () => {
    const filled = fillLinkPageTemplate({ template: page(`"${TEMPLATE_EMAIL}"`), token: "x", maskedEmail: `"•••@<ex\\ample>.eu`, nonce: NONCE });
    expect(filled).toBe(`"••••@•ex•ample•.eu"`);
  });

  it("keeps letters of any script as they are", () => {
    expect(fillLinkPageTemplate({ template: page(TEMPLATE_EMAIL), token: "x", maskedEmail: "ü•••@müller.de", nonce: NONCE })).toBe("ü•••@müller.de");
  });

  it("answers only a request it signed itself", () => {
    expect(verifyTemplateRequest(signTemplateRequest({ country: "DE" }))).toEqual({ country: "DE" });
    expect(verifyTemplateRequest(signTemplateRequest({ country: "" }))).toEqual({ country: "" });
    const forged = signTemplateRequest({ country: "DE" }).replace(/^DE/, "FR");
    expect(verifyTemplateRequest(forged)).toBeNull();
    expect(verifyTemplateRequest("DE.not-a-signature")).toBeNull();
    expect(verifyTemplateRequest(null)).toBeNull();
  });
});
