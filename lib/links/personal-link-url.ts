import "server-only";

import { env } from "@/lib/env";
import { mintLinkToken, type TLinkSubject } from "@/lib/links/token";

const DAY_MS = 24 * 60 * 60 * 1000;

type TPersonalLink = { subject: TLinkSubject; ttlDays?: number; now?: Date };

export const personalLinkToken = ({ subject, ttlDays, now = new Date() }: TPersonalLink) => {
  const { LINK_SECRET, LINK_TTL_DAYS } = env();
  const expiresAt = new Date(now.getTime() + (ttlDays ?? LINK_TTL_DAYS) * DAY_MS);
  return mintLinkToken({ subject, expiresAt, secret: LINK_SECRET });
};

/** `${APP_URL}/o/` followed by a token: what every personal link starts with. */
export const personalLinkPrefix = () => `${env().APP_URL}/o/`;

/** The personal link `${APP_URL}/o/<token>`. It names an id, never an email address. */
export const personalLinkUrl = (link: TPersonalLink) => `${personalLinkPrefix()}${personalLinkToken(link)}`;
