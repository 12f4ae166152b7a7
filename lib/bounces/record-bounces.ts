import "server-only";

import { assertActorKind, systemActor, type TActor } from "@/lib/auth/actor";
import type { TBounceReport } from "@/lib/bounces/parse-bounce-report";
import { DOMAIN_PAUSE_CTES, DOMAIN_PAUSE_MIN_REJECTIONS, DOMAIN_PAUSE_SHARE } from "@/lib/bounces/domain-pause-sql";
import { pgPool } from "@/lib/pg";

/**
 * Soft bounces after which the member's address counts as a hard bounce, and is suppressed: of one
 * notice, or of all the member's email notices that have no bounce or complaint, received within
 * BOUNCE_WINDOW_DAYS (a mailbox full at every campaign is as good as gone; one full a year ago is not).
 */
export const SOFT_BOUNCES_TO_HARD = 3;

/** Days within which soft bounces add up. The reports are kept this long (prune-bounce-reports.ts). */
export const BOUNCE_WINDOW_DAYS = 30;

/** One report about one notice; `digest` names the report's bytes, so a report delivered again is known. */
export type TBounceEvent = TBounceReport & { notificationId: string; digest: string };

// One statement for a whole batch, so it commits (or fails) as one: the reports, the notifications
// and their members' suppressions together. A soft bounce is kept by (notice, digest) first, and
// counts only if no listener stored it before: a sender that missed our 250 and sends the report
// again, to this listener, another MX host or one restarted since, adds nothing. A writer storing
// the same report at the same moment waits on its key, then counts nothing. Hard bounces,
// rejections, complaints and delays are not kept as reports: they decide the notice (or, for a
// delay, are noted on it) at once, and a repeat changes nothing.
//
// Soft bounces add up per member, within the window: the member's stored soft reports of notices
// without a bounce or complaint (committed before this statement), plus the batch's new ones, in
// notice id order; the notice at which they reach the threshold (and any after it) turns into a
// hard bounce with its own status, and its member's address is suppressed. Two listeners storing
// soft bounces of one member at the very same moment each miss the other's (a statement sees what
// was committed when it began): then it is the member's next soft bounce that suppresses them, as
// the rule is "reached or passed". Locking the member first would take a second statement per batch
// for a race of a millisecond between bounces that come days apart (one a campaign).
// A rejection (a policy refusal) decides its notice but never suppresses: it says nothing about the
// address. A hard bounce's suppression holds for that address (a trigger lifts it when the address
// changes); a complaint's for the member, and it replaces a hard bounce.
// Only email notifications have a bounce address; an id that matches none is ignored (and its report not kept).
const RECORD_SQL = `
WITH fresh AS (
  INSERT INTO "BounceReport" ("campaignId", "notificationId", digest)
  SELECT n."campaignId", r.id, r.digest FROM unnest($5::uuid[], $6::text[]) AS r(id, digest)
  JOIN "Notification" n ON n.id = r.id AND n.channel = 'email' AND n."bounceKind" IS NULL
  ON CONFLICT DO NOTHING
  RETURNING "notificationId" AS id
), input AS (
  SELECT i.*, COALESCE(s.soft, 0) AS soft
  FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $9::text[]) AS i(id, kind, status, diagnostic, "delayStatus")
  LEFT JOIN (SELECT id, count(*)::int AS soft FROM fresh GROUP BY id) s USING (id)
), target AS (
  SELECT i.*, n."memberId"
  FROM input i JOIN "Notification" n ON n.id = i.id
  WHERE n.channel = 'email' AND n."bounceKind" IS NULL AND (i.kind IS NOT NULL OR i.soft > 0 OR i."delayStatus" IS NOT NULL)
), reached AS (
  SELECT t.id, elsewhere.soft + sum(t.soft) OVER (PARTITION BY t."memberId" ORDER BY t.id) >= $7 AS hard
  FROM target t
  CROSS JOIN LATERAL (
    SELECT count(*) AS soft FROM "Notification" n JOIN "BounceReport" r ON r."campaignId" = n."campaignId" AND r."notificationId" = n.id
    WHERE n."memberId" = t."memberId" AND n.channel = 'email' AND n."bounceKind" IS NULL
      AND r."receivedAt" > now() - make_interval(days => $8)
  ) elsewhere
  WHERE t.kind IS NULL AND t.soft > 0
), outcome AS (
  SELECT t.id, t.soft, t.status, t.diagnostic, t."delayStatus", COALESCE(t.kind, CASE WHEN r.hard THEN 'hard' END) AS kind
  FROM target t LEFT JOIN reached r USING (id)
), bounced AS (
  UPDATE "Notification" n SET
    "softBounces" = n."softBounces" + o.soft,
    "bounceKind" = o.kind::"NotificationBounce",
    "bouncedAt" = CASE WHEN o.kind IS NOT NULL THEN now() END,
    "bounceStatus" = CASE WHEN o.kind IS NOT NULL THEN o.status END,
    "bounceDiagnostic" = CASE WHEN o.kind IS NOT NULL THEN o.diagnostic END,
    "delayedAt" = CASE WHEN o."delayStatus" IS NOT NULL THEN now() ELSE n."delayedAt" END,
    "delayStatus" = COALESCE(o."delayStatus", n."delayStatus")
  FROM outcome o
  WHERE n.id = o.id AND n."bounceKind" IS NULL
  RETURNING n.id, n."memberId", n."campaignId", n."bounceKind"
), suppressed AS (
  INSERT INTO "EmailSuppression" ("memberId", reason, "notificationId")
  SELECT DISTINCT ON ("memberId") "memberId",
         (CASE "bounceKind" WHEN 'complaint' THEN 'complaint' ELSE 'hard_bounce' END)::"SuppressionReason", id
  FROM bounced WHERE "bounceKind" IN ('hard', 'complaint')
  ORDER BY "memberId", ("bounceKind" = 'complaint') DESC
  ON CONFLICT ("memberId") DO UPDATE SET reason = EXCLUDED.reason, "notificationId" = EXCLUDED."notificationId", "createdAt" = now()
    WHERE EXCLUDED.reason = 'complaint' AND "EmailSuppression".reason = 'hard_bounce'
  RETURNING "memberId"
)${DOMAIN_PAUSE_CTES}
SELECT (SELECT count(*)::int FROM bounced) AS updated,
       (SELECT count(*)::int FROM bounced WHERE "bounceKind" IS NOT NULL) AS bounced,
       (SELECT count(*)::int FROM suppressed) AS suppressed,
       (SELECT count(*)::int FROM paused) AS "pausedDomains"`;

type TMerged = { kind: "hard" | "rejected" | "complaint" | null; status: string; diagnostic: string | null; delayStatus: string | null };

const byId = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : 1);

/**
 * The batch, one row per notification (an UPDATE changes a row once per statement): the first hard
 * bounce, rejection or complaint decides the outcome, else the last soft bounce gives the status,
 * and the last delay is noted; and its soft
 * bounces, each report once (the same report twice in one batch would otherwise meet itself). Both
 * in id order, so concurrent batches take the report keys and the notices they share in the same
 * order, which keeps deadlocks rare.
 */
const mergeByNotification = (events: TBounceEvent[]) => {
  const merged = new Map<string, TMerged>();
  const softReports = new Map<string, { notificationId: string; digest: string }>();
  for (const { notificationId, digest, kind, status, diagnostic } of events) {
    const row = merged.get(notificationId) ?? { kind: null, status, diagnostic, delayStatus: null };
    if (kind === "delayed") row.delayStatus = status;
    else if (kind === "soft") {
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

/** Who records bounces: the listener, by its rules; its domain pauses are audited as its acts. */
export const BOUNCE_LISTENER_ACTOR = systemActor("bounce-listener");

/**
 * Records a batch of bounces and complaints in one statement; returns what it changed. Only a job
 * records them (the listener, as BOUNCE_LISTENER_ACTOR): the domain pauses it writes name its job.
 */
export const recordBounces = async ({ actor, events }: { actor: TActor; events: TBounceEvent[] }) => {
  assertActorKind(actor, "system");
  if (events.length === 0) return { updated: 0, bounced: 0, suppressed: 0, pausedDomains: 0 };
  const { rows, softReports } = mergeByNotification(events);
  const values = [
    rows.map(([id]) => id),
    rows.map(([, row]) => row.kind),
    rows.map(([, row]) => row.status),
    rows.map(([, row]) => row.diagnostic),
    softReports.map(([, report]) => report.notificationId),
    softReports.map(([, report]) => report.digest),
    SOFT_BOUNCES_TO_HARD,
    BOUNCE_WINDOW_DAYS,
    rows.map(([, row]) => row.delayStatus),
    DOMAIN_PAUSE_MIN_REJECTIONS,
    DOMAIN_PAUSE_SHARE,
    actor.job,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows: [counts] } = await pgPool().query<{ updated: number; bounced: number; suppressed: number; pausedDomains: number }>(RECORD_SQL, values);
      return counts!;
    } catch (error) {
      if (attempt >= ATTEMPTS || !RETRIED.has((error as { code?: string }).code ?? "")) throw error;
    }
  }
};
