import "server-only";

import { fieldErrorsOf } from "@/lib/forms/form-state";
import { env } from "@/lib/env";
import { PERSONAL_LINK_KINDS } from "@/lib/links/open-personal-link";
import { verifyLinkTokenFor } from "@/lib/links/token";
import { ZObjectionInput } from "@/lib/objections/schema";
import { LINK_HOLDER } from "@/lib/auth/actor";
import { submitObjection } from "@/lib/objections/submit-objection";
import { logger } from "@/lib/logger";

export type TObjectionFormResult =
  | { status: "stored"; token: string }
  | { status: "invalid"; token: string; fieldErrors: Record<string, string>; country: string }
  | { status: "invalid_link" }
  | { status: "error"; token: string };

/**
 * The objection form's post, from a browser with or without JavaScript: the same schema as the
 * form, then the one-statement store. Never throws: an outage is the `error` result.
 */
export const receiveObjectionForm = async (fields: Record<string, string>): Promise<TObjectionFormResult> => {
  const parsed = ZObjectionInput.safeParse(fields);
  if (!parsed.success) {
    const fieldErrors = fieldErrorsOf(parsed.error);
    if (fieldErrors.token) return { status: "invalid_link" };
    return { status: "invalid", token: fields.token ?? "", fieldErrors, country: fields.country ?? "" };
  }

  const { token, country, reason } = parsed.data;
  // A status token names an objection, not someone to object for: refused like a tampered link.
  const verified = verifyLinkTokenFor({ token, secrets: env().LINK_SECRETS, kinds: PERSONAL_LINK_KINDS });
  if (!verified.ok) return { status: "invalid_link" };

  try {
    const result = await submitObjection({ subject: verified.subject, country, reason, actor: LINK_HOLDER });
    if (result.status === "unknown_subject") return { status: "invalid_link" };
    return { status: "stored", token };
  } catch (error) {
    // Nothing was half-stored (one statement). Log the kind of fault, never the person.
    logger().error({ event: "objection_submit_failed", error }, "objection submit failed");
    return { status: "error", token };
  }
};
