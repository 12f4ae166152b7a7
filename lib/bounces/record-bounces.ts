import "server-only";

import type { TBounceReport } from "@/lib/bounces/parse-bounce-report";
import { pgPool } from "@/lib/pg";

/**
 * Soft bounces (4.x.x) after which a notice counts as a hard bounce, and its member is suppressed: of
 * one notice, or of all the member's email notices that have no hard bounce or complaint (a mailbox
 * that is full at every campaign is as good as gone).
 */
export const SOFT_BOUNCES_TO_HARD = 3;

/** One report about one notice; `digest` names the report's bytes, so a report delivered again is known. */
export type TBounceEvent = TBounceReport & { notificationId: string; digest: string };

// One statement for a whole batch, so it commits (or fails) as one: the reports, the notifications
// and their members' suppressions together. A soft bounce is kept by (notice, digest) first, and
// counts only if no listener stored it before: a sender that missed our 250 and sends the report
// again, to this listener, another MX host or one restarted since, adds nothing. A writer storing
// the same report at the same moment waits on its key, then counts nothing. Hard bounces and
// complaints are not kept (four in five reports, at the cost of a row each), nor soft bounces of a
// notice that already has one: such a notice is left as it is, so a repeat changes nothing anyway.
//
// Soft bounces add up, per member: the member's soft bounces are those of their email notices
// without a hard bounce or complaint, read before this statement (`elsewhere`), plus the batch's
// notices as they become, in id order; the notice at which they reach the threshold (and any after
// it) turns into a hard bounce with its own status, and its member is suppressed. One notice alone
// reaching it is the same rule, and is also checked on the row as the UPDATE finds it (a writer that
// waited on it sees the other's count). Two listeners storing soft bounces of one member's different notices
// at the very same moment each miss the other's (a statement sees what was committed when it began):
// then it is the member's next soft bounce that suppresses them, as the rule is "reached or passed".
// Locking the member first would take a second statement per batch for a race of a millisecond
// between bounces that come days apart (one a campaign).
// Only email notifications have a bounce address; an id that matches none is ignored (and its report not kept).
const RECORD_SQL = `
WITH fresh AS (
  INSERT INTO "BounceReport" ("notificationId", digest)
  SELECT r.id, r.digest FROM unnest($5::uuid[], $6::text[]) AS r(id, digest)
  WHERE EXISTS (SELECT 1 FROM "Notification" n WHERE n.id = r.id AND n.channel = 'email' AND n."bounceKind" IS NULL)
  ON CONFLICT DO NOTHING
  RETURNING "notificationId" AS id
), input AS (
  SELECT i.*, COALESCE(s.soft, 0) AS soft
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS i(id, kind, status, diagnostic)
  LEFT JOIN (SELECT id, count(*)::int AS soft FROM fresh GROUP BY id) s USING (id)
), target AS (
  SELECT i.*, n."memberId", n."softBounces" + i.soft AS "softAfter"
  FROM input i JOIN "Notification" n ON n.id = i.id
  WHERE n.channel = 'email' AND n."bounceKind" IS NULL AND (i.kind IS NOT NULL OR i.soft > 0)
), reached AS (
  SELECT t.id, elsewhere.soft + sum(t."softAfter") OVER (PARTITION BY t."memberId" ORDER BY t.id) >= $7 AS hard
  FROM target t
  CROSS JOIN LATERAL (
    SELECT COALESCE(sum(n."softBounces"), 0) AS soft FROM "Notification" n
    WHERE n."memberId" = t."memberId" AND n.channel = 'email' AND n."bounceKind" IS NULL AND NOT EXISTS (SELECT 1 FROM target b WHERE b.id = n.id)
  ) elsewhere
  WHERE t.kind IS NULL
), outcome AS (
  SELECT t.id, t.soft, t.status, t.diagnostic, COALESCE(t.kind, CASE WHEN r.hard THEN 'hard' END) AS kind
  FROM target t LEFT JOIN reached r USING (id)
), bounced AS (
  UPDATE "Notification" n SET
    "softBounces" = n."softBounces" + o.soft,
    "bounceKind" = COALESCE(o.kind, CASE WHEN n."softBounces" + o.soft >= $7 THEN 'hard' END)::"NotificationBounce",
    "bouncedAt" = CASE WHEN o.kind IS NOT NULL OR n."softBounces" + o.soft >= $7 THEN now() END,
    "bounceStatus" = CASE WHEN o.kind IS NOT NULL OR n."softBounces" + o.soft >= $7 THEN o.status END,
    "bounceDiagnostic" = CASE WHEN o.kind IS NOT NULL OR n."softBounces" + o.soft >= $7 THEN o.diagnostic END
  FROM outcome o
  WHERE n.id = o.id AND n."bounceKind" IS NULL
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

type TMerged = { kind: "hard" | "complaint" | null; status: string; diagnostic: string | null };

const byId = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : 1);

/**
 * The batch, one row per notification (an UPDATE changes a row once per statement): the first hard
 * bounce or complaint decides the outcome, else the last soft bounce gives the status; and its soft
 * bounces, each report once (the same report twice in one batch would otherwise meet itself). Both
 * in id order, so concurrent batches take the report keys and the notices they share in the same
 * order, which keeps deadlocks rare.
 */
const mergeByNotification = (events: TBounceEvent[]) => {
  const merged = new Map<string, TMerged>();
  const softReports = new Map<string, { notificationId: string; digest: string }>();
  for (const { notificationId, digest, kind, status, diagnostic } of events) {
    const row = merged.get(notificationId) ?? { kind: null, status, diagnostic };
    if (kind === "soft") {
      softReports.set(`${notificationId}:${digest}`, { notificationId, digest });
      if (!row.kind) Object.assign(row, { status, diagnostic });
    } else if (!row.kind) Object.assign(row, { kind, status, diagnostic });
    merged.set(notificationId, row);
  }
  return { rows: [...merged].sort(byId), softReports: [...softReports].sort(byId) };
};

// Two writers (of this listener or another) whose batches share notifications or members can
// deadlock on their rows; PostgreSQL aborts one, which simply runs again. A notice deleted while the
// batch is written (its member erased) fails its report's foreign key; run again, the batch skips it.
const RETRIED = new Set(["40P01", "23503"]);
const ATTEMPTS = 3;

/** Records a batch of bounces and complaints in one statement; returns what it changed. */
export const recordBounces = async (events: TBounceEvent[]) => {
  if (events.length === 0) return { updated: 0, bounced: 0, suppressed: 0 };
  const { rows, softReports } = mergeByNotification(events);
  const values = [
    rows.map(([id]) => id),
    rows.map(([, row]) => row.kind),
    rows.map(([, row]) => row.status),
    rows.map(([, row]) => row.diagnostic),
    softReports.map(([, report]) => report.notificationId),
    softReports.map(([, report]) => report.digest),
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
