import { LINK_HOLDER } from "@/lib/auth/actor";
import { formTooLarge } from "@/lib/forms/form-post-refused";
import { readFormFields } from "@/lib/forms/read-form-fields";
import { withShownLocale } from "@/lib/i18n/language-switch-target";
import { ZLinkToken } from "@/lib/links/token";
import { withdrawFromStatusLink } from "@/lib/objections/objection-status";
import { logger } from "@/lib/logger";

const seeOther = (location: string) => new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

const MAX_FORM_BYTES = 4 * 1024;

// The status page's withdrawal form posts here, with or without JavaScript. A route handler, not a
// server action: the status page sends `Referrer-Policy: no-referrer`, so a browser without
// JavaScript posts its form with `Origin: null`, which Next.js refuses for a server action (a 500;
// e2e/status-page.spec.ts saw it). The fields are validated with the form's zod schema and the
// token verified again in lib. The token is the only credential and travels in the body, so a
// cross-site post cannot withdraw anything it does not already hold.
export const POST = async (request: Request) => {
  const read = await readFormFields(request, { maxBytes: MAX_FORM_BYTES });
  if (!read.ok && read.problem === "too_large") return formTooLarge({ maxBytes: MAX_FORM_BYTES, outcome: "nothing was withdrawn" });
  if (!read.ok) return seeOther("/s/invalid");
  const { fields } = read;
  try {
    const result = await withdrawFromStatusLink({ actor: LINK_HOLDER, input: fields });
    // Withdrawn, or withdrawn already: the status page shows the withdrawn state and the way back.
    return seeOther(result.status === "invalid_link" ? "/s/invalid" : withShownLocale({ path: `/s/${result.token}`, locale: fields.lang }));
  } catch (error) {
    // Nothing changed (one transaction). Log the kind of fault, never the person.
    logger().error({ event: "withdrawal_failed", error }, "withdrawal failed");
    const token = fields.token ?? "";
    return seeOther(ZLinkToken.safeParse(token).success ? `/s/${token}?step=withdraw&error=retry` : "/s/invalid");
  }
};
