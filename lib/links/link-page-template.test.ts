import { describe, expect, it } from "vitest";

import { fillLinkPageTemplate, signTemplateRequest, TEMPLATE_EMAIL, TEMPLATE_TOKEN, verifyTemplateRequest } from "@/lib/links/link-page-template";

describe("the link page template", () => {
  it("fills in every occurrence of the token and the masked address, and nothing else", () => {
    const template = `<input value="${TEMPLATE_TOKEN}"><p>${TEMPLATE_EMAIL}</p><script>push("${TEMPLATE_TOKEN}","${TEMPLATE_EMAIL}")</script>`;
    const token = "A".repeat(72);
    expect(fillLinkPageTemplate({ template, token, maskedEmail: "j•••@example.eu" })).toBe(
      `<input value="${token}"><p>j•••@example.eu</p><script>push("${token}","j•••@example.eu")</script>`,
    );
  });

  it("writes a character that would need escaping in HTML or in the script as a dot", () => {
    const filled = fillLinkPageTemplate({ template: `"${TEMPLATE_EMAIL}"`, token: "x", maskedEmail: `"•••@<ex\\ample>.eu` });
    expect(filled).toBe(`"••••@•ex•ample•.eu"`);
  });

  it("keeps letters of any script as they are", () => {
    expect(fillLinkPageTemplate({ template: TEMPLATE_EMAIL, token: "x", maskedEmail: "ü•••@müller.de" })).toBe("ü•••@müller.de");
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
