import "server-only";

import { LINK_HOLDER } from "@/lib/auth/actor";
import { fieldErrorsOf } from "@/lib/forms/form-state";
import { clientIp } from "@/lib/http/client-ip";
import { isForeignOrigin } from "@/lib/http/is-foreign-origin";
import { countryFromLanguage } from "@/lib/members/country-from-language";
import { normaliseEmail } from "@/lib/members/normalise-email";
import { takeLinkRequest } from "@/lib/objections/link-request-limits";
import { requestObjectionLink } from "@/lib/objections/request-objection-link";
import { ZRequestLinkInput } from "@/lib/objections/schema";
import { logger } from "@/lib/logger";

export type TLinkRequestResult =
  | { status: "sent" }
  | { status: "invalid"; fieldErrors: Record<string, string> }
  | { status: "limited"; retryAt: Date }
  | { status: "foreign_origin" }
  | { status: "error" };

/**
 * The /object form's post. Every valid address takes the same path (the limits, then one insert
 * that queues the job), so neither the answer nor its timing says whether an account uses it.
 * A post from another site's page is refused before anything is counted: it spends no one's
 * budget. Never throws: an outage is the `error` result.
 */
export const receiveLinkRequest = async ({ fields, headers, locale }: { fields: Record<string, string>; headers: Headers; locale: string }): Promise<TLinkRequestResult> => {
  if (isForeignOrigin(headers)) return { status: "foreign_origin" };
  const parsed = ZRequestLinkInput.safeParse(fields);
  if (!parsed.success) return { status: "invalid", fieldErrors: fieldErrorsOf(parsed.error) };

  const email = normaliseEmail(parsed.data.email);
  try {
    const allowance = await takeLinkRequest({ email, ip: clientIp(headers) });
    if (!allowance.allowed) return { status: "limited", retryAt: allowance.retryAt };
    await requestObjectionLink({ actor: LINK_HOLDER, email, locale, country: countryFromLanguage(headers.get("accept-language")) });
    return { status: "sent" };
  } catch (error) {
    // Log the kind of fault, never the person.
    logger().error({ event: "link_request_failed", error }, "link request failed");
    return { status: "error" };
  }
};
