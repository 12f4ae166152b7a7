import "server-only";

/**
 * SQL that is true when the notification `notification` (an alias of "Notification") reached its
 * member: an email the relay accepted that neither bounced nor drew a complaint (a complaint means
 * the person reported it rather than read it as a notice), or an in-app notice the member saw.
 * The rule itself is the database's `notification_reached` (migration campaign_counters), which the
 * campaign counters' trigger also uses: a campaign's reach and its "not yet reached" follow-up
 * audience cannot disagree with its counted reach.
 */
export const reachedBySql = (notification: string) =>
  `notification_reached(${notification}.channel, ${notification}.status, ${notification}."bounceKind", ${notification}."seenAt")`;
