import "server-only";

import { env } from "@/lib/env";
import { mintLinkToken, type TLinkSubject } from "@/lib/links/token";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The personal link `${APP_URL}/o/<token>`. It names an id, never an email address. */
export const personalLinkUrl = ({ subject, ttlDays, now = new Date() }: { subject: TLinkSubject; ttlDays?: number; now?: Date }) => {
  const { APP_URL, LINK_SECRET, LINK_TTL_DAYS } = env();
  const expiresAt = new Date(now.getTime() + (ttlDays ?? LINK_TTL_DAYS) * DAY_MS);
  return `${APP_URL}/o/${mintLinkToken({ subject, expiresAt, secret: LINK_SECRET })}`;
};
