import "server-only";

// The statements on CampaignPacing: what a worker records when MAIL_DOMAIN_RATES holds a campaign's
// emails back (lib/campaigns/record-pacing.ts), and what the campaign's stats show of it
// (lib/campaigns/campaign-stats.ts).

/** How long a worker's last wait on a paced domain still counts as waiting (workers write it at most once a second). */
export const PACING_FRESH_SECONDS = 10;

/** The most domains the stats name: MAIL_DOMAIN_RATES names a handful; a console line holds no more. */
export const PACING_DOMAINS_SHOWN = 50;

/**
 * One row per domain ($2, with its rate $3, null for none), its wait now: a worker updates its
 * own domains' rows and leaves the others' alone. Nothing is written for a campaign ($1) that
 * no longer runs.
 */
export const RECORD_PACING = `
  INSERT INTO "CampaignPacing" ("campaignId", domain, "ratePerSecond", "waitedAt")
  SELECT c.id, u.domain, u.rate, now() FROM "Campaign" c, unnest($2::text[], $3::int[]) AS u(domain, rate)
  WHERE c.id = $1 AND c.status = 'running'
  ON CONFLICT ("campaignId", domain) DO UPDATE SET "ratePerSecond" = EXCLUDED."ratePerSecond", "waitedAt" = EXCLUDED."waitedAt"`;

export type TPacedDomainsRow = { pacedDomains: string[] | null; pacedRates: (number | null)[] | null; lastWaitAt: Date | null };

/**
 * One row: the domains of the campaign `campaign` (an SQL expression) a worker waited on in the
 * last $2 seconds (the database's clock, as the workers' writes use it), the $3 most recent, with
 * their rates, both in the order of the names (null when none), and the last wait. A few rows of
 * the primary key, read inside the stats' one statement (lib/campaigns/campaign-stats.ts).
 */
export const pacedDomainsSql = (campaign: string) => `
  SELECT array_agg(domain ORDER BY domain) AS "pacedDomains", array_agg("ratePerSecond" ORDER BY domain) AS "pacedRates", max("waitedAt") AS "lastWaitAt" FROM (
    SELECT domain, "ratePerSecond", "waitedAt" FROM "CampaignPacing"
    WHERE "campaignId" = ${campaign} AND "waitedAt" > now() - make_interval(secs => $2)
    ORDER BY "waitedAt" DESC, domain
    LIMIT $3) AS fresh`;
