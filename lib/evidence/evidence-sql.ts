import "server-only";

// The evidence pack's reads (lib/evidence/write-evidence-pack.ts), all run in one REPEATABLE READ,
// READ ONLY transaction on one connection of the pg pool, so notices.csv, summary.json and
// audit.jsonl describe the same moment.

/** An instant as the pack writes every time: ISO 8601 in UTC with milliseconds, as JSON does. */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** notices.csv's columns, in order (docs/evidence.md says what each holds). No address. */
export const NOTICE_COLUMNS = [
  "notice_id",
  "member_external_id",
  "channel",
  "status",
  "language",
  "notice_version",
  "sent_at",
  "relay_reply",
  "bounce_kind",
  "bounced_at",
  "bounce_status",
  "seen_at",
  "clicked_at",
  "skip_reason",
] as const;

/**
 * notices.csv: every notice of the campaign, read by COPY from its partition (the literal campaign
 * id prunes to it; COPY takes no bound values, so `campaignLiteral` is the validated uuid quoted by
 * the driver's escapeLiteral). In the partition's order: a sort of 30 M rows would spill to disk
 * before the first byte. Member joins by its primary key; a member deleted since has no notices
 * left (they cascade), the left join is only a guard.
 */
export const noticesCopySql = (campaignLiteral: string) => `
  COPY (
    SELECT n.id AS notice_id, m."externalId" AS member_external_id, n.channel, n.status, n.locale AS language,
      n."noticeVersion" AS notice_version, ${iso(`n."sentAt"`)} AS sent_at, n."relayReply" AS relay_reply,
      n."bounceKind" AS bounce_kind, ${iso(`n."bouncedAt"`)} AS bounced_at, n."bounceStatus" AS bounce_status,
      ${iso(`n."seenAt"`)} AS seen_at, ${iso(`n."clickedAt"`)} AS clicked_at, n."skipReason" AS skip_reason
    FROM "Notification" n LEFT JOIN "Member" m ON m.id = n."memberId"
    WHERE n."campaignId" = ${campaignLiteral}
  ) TO STDOUT WITH (FORMAT csv, HEADER true)`;

export type TEvidenceCampaignRow = {
  id: string;
  name: string;
  status: string;
  channels: string[];
  countries: string[];
  total: number;
  createdAt: string;
  launchedAt: string | null;
  completedAt: string | null;
  snapshotAt: string;
  queued: string;
  sent: string;
  failed: string;
  skipped: string;
  seen: string;
  clicked: string;
  objected: string;
  reached: string;
};

/**
 * The campaign and its counters (CampaignCounter: at most 16 rows, kept by triggers), and the
 * snapshot's own time. The first statement of the transaction: it takes the snapshot.
 */
export const EVIDENCE_CAMPAIGN_SQL = `
  SELECT c.id, c.name, c.status, c.channels::text[] AS channels, coalesce(c.countries, '{}') AS countries, c.total,
    ${iso(`c."createdAt"`)} AS "createdAt", ${iso(`c."launchedAt"`)} AS "launchedAt", ${iso(`c."completedAt"`)} AS "completedAt",
    ${iso("statement_timestamp()")} AS "snapshotAt",
    coalesce(sum(k.queued), 0)::text AS queued, coalesce(sum(k.sent), 0)::text AS sent, coalesce(sum(k.failed), 0)::text AS failed,
    coalesce(sum(k.skipped), 0)::text AS skipped, coalesce(sum(k.seen), 0)::text AS seen, coalesce(sum(k.clicked), 0)::text AS clicked,
    coalesce(sum(k.objected), 0)::text AS objected, coalesce(sum(k.reached), 0)::text AS reached
  FROM "Campaign" c LEFT JOIN "CampaignCounter" k ON k."campaignId" = c.id
  WHERE c.id = $1
  GROUP BY c.id`;

export type TBounceCountRow = { kind: string; count: string };

/**
 * Bounces by kind. No counter keeps them per campaign, so this counts the campaign's partition, in
 * the snapshot notices.csv was just read from (its pages are warm): the figures match the file's
 * bounce_kind column exactly. One pass over one campaign's notices, only when a pack is made.
 */
export const EVIDENCE_BOUNCES_SQL = `
  SELECT "bounceKind"::text AS kind, count(*)::text AS count FROM "Notification"
  WHERE "campaignId" = $1 AND "bounceKind" IS NOT NULL GROUP BY "bounceKind" ORDER BY "bounceKind"`;

export type TObjectionOutcomeRow = { withdrawn: string; rejected: string };

/** The campaign's objections no longer effective, by the partial index on ("campaignId", status) WHERE status <> 'effective'. */
export const EVIDENCE_OBJECTION_OUTCOMES_SQL = `
  SELECT count(*) FILTER (WHERE status = 'withdrawn')::text AS withdrawn, count(*) FILTER (WHERE status = 'rejected')::text AS rejected
  FROM "Objection" WHERE "campaignId" = $1 AND status <> 'effective'`;

/** Rejections listed in summary.json: a reviewer's act each, approved by a second; more than this is not a campaign's. */
export const MAX_LISTED_REJECTIONS = 10_000;

export type TRejectionRow = { objectionId: string; rejectedAt: string | null; reason: string | null };

export const EVIDENCE_REJECTIONS_SQL = `
  SELECT id AS "objectionId", ${iso(`"rejectedAt"`)} AS "rejectedAt", "rejectionReason" AS reason
  FROM "Objection" WHERE "campaignId" = $1 AND status = 'rejected'
  ORDER BY "rejectedAt", id LIMIT ${MAX_LISTED_REJECTIONS}`;

export type TObjectionDaysRow = { count: string };

/** Objections from any source on the UTC days the campaign ran (DashboardObjectionDay: days × 16 shards). */
export const EVIDENCE_OBJECTION_DAYS_SQL = `
  SELECT coalesce(sum(count), 0)::text AS count FROM "DashboardObjectionDay" WHERE day BETWEEN $1::date AND $2::date`;

export type TEvidenceAuditRow = {
  id: string;
  createdAt: string;
  actorType: string;
  actorId: string | null;
  actorJob: string | null;
  action: string;
  detail: unknown;
  /** The event's place and hash in the audit log's chain (docs/operations.md), null until the chainer reaches it. */
  chainSeq: string | null;
  hash: string | null;
};

/** audit.jsonl: the campaign's audit events in order, by the index on ("targetType", "targetId", id); read by a cursor. */
export const EVIDENCE_AUDIT_SQL = `
  SELECT id::text, ${iso(`"createdAt"`)} AS "createdAt", "actorType"::text AS "actorType", "actorId", "actorJob", action::text, detail,
    "chainSeq"::text AS "chainSeq", encode(hash, 'hex') AS hash
  FROM "AuditEvent" WHERE "targetType" = 'campaign' AND "targetId" = $1 ORDER BY id`;
