import "server-only";

import { env } from "@/lib/env";
import { personalLinkToken } from "@/lib/links/personal-link-url";

/** The kinds of token the status page accepts: only one that names an objection. */
export const STATUS_LINK_KINDS = ["objection"] as const;

/**
 * `${APP_URL}/s/<token>`: the status page of one objection, as every receipt links it. The token
 * names the objection (never an address) and only shows it or withdraws it: it cannot object.
 */
export const statusLinkUrl = ({ objectionId, ttlDays = env().RECEIPT_LINK_TTL_DAYS, now }: { objectionId: string; ttlDays?: number; now?: Date }) =>
  `${env().APP_URL}/s/${personalLinkToken({ subject: { kind: "objection", id: objectionId }, ttlDays, now })}`;
