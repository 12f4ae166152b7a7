import "server-only";

import type { TBounceReport } from "@/lib/bounces/parse-bounce-report";
import { pgPool } from "@/lib/pg";

/** Soft bounces (4.x.x) of one notice after which it counts as a hard bounce, and its member is suppressed. */
export const SOFT_BOUNCES_TO_HARD = 3;

/** One report about one notice; `digest` names the report's bytes, so a report delivered again is known. */
export type TBounceEvent = TBounceReport & { notificationId: string; digest: string };

// One statement for a whole batch, so it commits (or fails) as one: the reports, the notifications
// and their members' suppressions together. A soft bounce is kept by (notice, digest) first, and
// counts only if no listener stored it before: a sender that missed our 250 and sends the report
// again, to this listener, another MX host or one restarted since, adds nothing. A writer storing
// the same report at the same moment waits on its key, then counts nothing. Hard bounces and
// complaints are not kept (four in five reports, at the cost of a row each): a notification that
// already has one is left as it is, so a repeat changes nothing anyway. Soft bounces add up; the one
// that reaches the threshold turns the notice into a hard bounce with its own status. Only email
// notifications have a bounce address; an id that matches none is ignored (and its report not kept).
// Per notice, the first hard bounce or complaint of the batch decides, else the last soft bounce.
const RECORD_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS i(id, digest, kind, status, diagnostic, ord)
), fresh AS (
  INSERT INTO "BounceReport" ("notificationId", digest)
  SELECT i.id, i.digest FROM input i
  WHERE i.kind = 'soft' AND EXISTS (SELECT 1 FROM "Notification" n WHERE n.id = i.id AND n.channel = 'email')
  ON CONFLICT DO NOTHING
  RETURNING "notificationId" AS id, digest
), counted AS (
  SELECT i.* FROM input i LEFT JOIN fresh f USING (id, digest) WHERE i.kind <> 'soft' OR f.id IS NOT NULL
), merged AS (
  SELECT i.id,
         count(*) FILTER (WHERE i.kind = 'soft')::int AS soft,
         (array_agg(i.kind ORDER BY i.ord) FILTER (WHERE i.kind <> 'soft'))[1] AS kind,
         (array_agg(i.status ORDER BY i.kind = 'soft', CASE WHEN i.kind = 'soft' THEN -i.ord ELSE i.ord END))[1] AS status,
         (array_agg(i.diagnostic ORDER BY i.kind = 'soft', CASE WHEN i.kind = 'soft' THEN -i.ord ELSE i.ord END))[1] AS diagnostic
  FROM counted i
  GROUP BY i.id
), bounced AS (
  UPDATE "Notification" n SET
    "softBounces" = n."softBounces" + i.soft,
    "bounceKind" = COALESCE(i.kind, CASE WHEN n."softBounces" + i.soft >= $7 THEN 'hard' END)::"NotificationBounce",
    "bouncedAt" = CASE WHEN i.kind IS NOT NULL OR n."softBounces" + i.soft >= $7 THEN now() END,
    "bounceStatus" = CASE WHEN i.kind IS NOT NULL OR n."softBounces" + i.soft >= $7 THEN i.status END,
    "bounceDiagnostic" = CASE WHEN i.kind IS NOT NULL OR n."softBounces" + i.soft >= $7 THEN i.diagnostic END
  FROM merged i
  WHERE n.id = i.id AND n.channel = 'email' AND n."bounceKind" IS NULL
  RETURNING n.id, n."memberId", n."bounceKind"
), suppressed AS (
  INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId")
  SELECT DISTINCT ON ("memberId") "memberId",
         (CASE "bounceKind" WHEN 'complaint' THEN 'complaint' ELSE 'hard_bounce' END)::"SuppressionReason", id
  FROM bounced WHERE "bounceKind" IS NOT NULL
  ORDER BY "memberId", ("bounceKind" = 'complaint') DESC
  ON CONFLICT ("memberId") DO NOTHING
  RETURNING "memberId"
)
SELECT (SELECT count(*)::int FROM bounced) AS updated,
       (SELECT count(*)::int FROM bounced WHERE "bounceKind" IS NOT NULL) AS bounced,
       (SELECT count(*)::int FROM suppressed) AS suppressed`;

/**
 * The batch's reports, each once (the same report twice in one batch would otherwise meet itself),
 * with its place in the batch, in (notice, digest) order: concurrent batches then take the report
 * keys and the notices they share in the same order, which keeps deadlocks rare.
 */
const distinctReports = (events: TBounceEvent[]) => {
  const reports = new Map<string, TBounceEvent & { ord: number }>();
  events.forEach((event, ord) => {
    const key = `${event.notificationId}:${event.digest}`;
    if (!reports.has(key)) reports.set(key, { ...event, ord });
  });
  return [...reports.values()].sort((a, b) => (a.notificationId === b.notificationId ? (a.digest < b.digest ? -1 : 1) : a.notificationId < b.notificationId ? -1 : 1));
};

// Two writers (of this listener or another) whose batches share notifications or members can
// deadlock on their rows; PostgreSQL aborts one, which simply runs again. A notice deleted while the
// batch is written (its member erased) fails its report's foreign key; run again, the batch skips it.
const RETRIED = new Set(["40P01", "23503"]);
const ATTEMPTS = 3;

/** Records a batch of bounces and complaints in one statement; returns what it changed. */
export const recordBounces = async (events: TBounceEvent[]) => {
  if (events.length === 0) return { updated: 0, bounced: 0, suppressed: 0 };
  const reports = distinctReports(events);
  const values = [
    reports.map((report) => report.notificationId),
    reports.map((report) => report.digest),
    reports.map((report) => report.kind),
    reports.map((report) => report.status),
    reports.map((report) => report.diagnostic),
    reports.map((report) => report.ord),
    SOFT_BOUNCES_TO_HARD,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows: [counts] } = await pgPool().query<{ updated: number; bounced: number; suppressed: number }>({ name: "record_bounces", text: RECORD_SQL, values });
      return counts!;
    } catch (error) {
      if (attempt >= ATTEMPTS || !RETRIED.has((error as { code?: string }).code ?? "")) throw error;
    }
  }
};
