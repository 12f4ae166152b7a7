import "server-only";

/**
 * SQL that is true when the notification `notification` (an alias of "Notification") reached its
 * member: an email the relay accepted that neither bounced nor drew a complaint (a complaint means
 * the person reported it rather than read it as a notice), or an in-app notice the member saw.
 * The one rule behind a campaign's reach and its "not yet reached" follow-up audience.
 */
export const reachedBySql = (notification: string) => `
  ((${notification}.channel = 'email' AND ${notification}.status IN ('sent', 'seen', 'clicked') AND ${notification}."bounceKind" IS NULL)
    OR (${notification}.channel = 'in_app' AND ${notification}."seenAt" IS NOT NULL))`;
