import "server-only";

/** Policy rejections of one recipient domain, within an hour, at which a campaign pauses that domain... */
export const DOMAIN_PAUSE_MIN_REJECTIONS = 50;
/** ...when they are at least this share of the emails the campaign sent that domain in that hour. */
export const DOMAIN_PAUSE_SHARE = 0.05;

/** The 10-minute window a count goes into; the same expression where sends are counted. */
export const WINDOW_START_SQL = `date_bin('10 minutes', now(), TIMESTAMPTZ '2000-01-01')`;

/** A member's recipient domain: the address's part after its last @, lower-cased (as MAIL_DOMAIN_RATES matches it). */
export const recipientDomainSql = (member: string) => `lower(substring(${member}.email from '[^@]*$'))`;

// CTEs appended to lib/bounces/record-bounces.ts's statement, after `bounced` and `outcome`, so the
// rejections are counted, and a domain paused, in the same transaction as the notices change.
//
// A policy or sending-side refusal (a relay on a blocklist, a DMARC fault) says nothing about the
// member, but a burst of them for one domain says that domain refuses this campaign's mail: going
// on only piles up refusals (and harms the sending IPs' reputation). Each rejection is counted for
// its campaign and domain in the current 10-minute window (the send path counts the sends there);
// the hour is this window as the statement leaves it plus the five or six before it, as committed.
// Past DOMAIN_PAUSE_MIN_REJECTIONS that are DOMAIN_PAUSE_SHARE of the hour's sends, the domain is
// paused for that campaign, with the last status and diagnostic as the reason, and an audit event
// with no admin (the system did it). Paused again while paused changes nothing. $10 and $11 are
// the minimum and the share.
export const DOMAIN_PAUSE_CTES = `
, rejected_rows AS (
  SELECT b."campaignId", ${recipientDomainSql("m")} AS domain, o.status, o.diagnostic
  FROM bounced b JOIN outcome o ON o.id = b.id JOIN "Member" m ON m.id = b."memberId"
  WHERE b."bounceKind" = 'rejected' AND b."campaignId" IS NOT NULL
), rejections AS (
  INSERT INTO "CampaignDomainWindow" ("campaignId", domain, "windowStart", rejected)
  SELECT "campaignId", domain, ${WINDOW_START_SQL}, count(*)::int FROM rejected_rows
  GROUP BY "campaignId", domain ORDER BY "campaignId", domain
  ON CONFLICT ("campaignId", domain, "windowStart") DO UPDATE SET rejected = "CampaignDomainWindow".rejected + EXCLUDED.rejected
  RETURNING "campaignId", domain, "windowStart", sent, rejected
), hour AS (
  SELECT r."campaignId", r.domain, r.sent + COALESCE(sum(w.sent), 0)::int AS sent, r.rejected + COALESCE(sum(w.rejected), 0)::int AS rejected
  FROM rejections r LEFT JOIN "CampaignDomainWindow" w
    ON w."campaignId" = r."campaignId" AND w.domain = r.domain AND w."windowStart" < r."windowStart" AND w."windowStart" > now() - interval '1 hour'
  GROUP BY r."campaignId", r.domain, r.sent, r.rejected
), paused AS (
  INSERT INTO "CampaignDomainPause" ("campaignId", domain, sent, rejected, "lastStatus", "lastDiagnostic")
  SELECT h."campaignId", h.domain, h.sent, h.rejected, last.status, last.diagnostic
  FROM hour h CROSS JOIN LATERAL (
    SELECT x.status, x.diagnostic FROM rejected_rows x WHERE x."campaignId" = h."campaignId" AND x.domain = h.domain LIMIT 1
  ) last
  WHERE h.rejected >= $10 AND h.rejected >= h.sent * $11::float
  ON CONFLICT DO NOTHING
  RETURNING "campaignId", domain, sent, rejected
), pause_audited AS (
  INSERT INTO "AuditEvent" ("actorType", "actorJob", action, "targetType", "targetId", detail)
  SELECT 'system', $12, 'domain_pause', 'campaign'::"AuditTarget", "campaignId"::text, jsonb_build_object('domain', domain, 'sent', sent, 'rejected', rejected) FROM paused
)`;
