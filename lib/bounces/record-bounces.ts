import "server-only";

import type { TBounceReport } from "@/lib/bounces/parse-bounce-report";
import { pgPool } from "@/lib/pg";

/** Soft bounces (4.x.x) of one notice after which it counts as a hard bounce, and its member is suppressed. */
export const SOFT_BOUNCES_TO_HARD = 3;

export type TBounceEvent = TBounceReport & { notificationId: string };

// One statement for a whole batch, so it commits (or fails) as one: the notifications and their
// members' suppressions together. A notification that already has a hard bounce or a complaint is
// left as it is, so the same report arriving twice changes nothing. Soft bounces add up; the one
// that reaches the threshold turns the notice into a hard bounce with its own status. Only email
// notifications have a bounce address; an id that matches none is ignored.
const RECORD_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[]) AS i(id, kind, soft, status, diagnostic)
), bounced AS (
  UPDATE "Notification" n SET
    "softBounces" = n."softBounces" + i.soft,
    "bounceKind" = COALESCE(i.kind, CASE WHEN n."softBounces" + i.soft >= $6 THEN 'hard' END)::"NotificationBounce",
    "bouncedAt" = CASE WHEN i.kind IS NOT NULL OR n."softBounces" + i.soft >= $6 THEN now() END,
    "bounceStatus" = CASE WHEN i.kind IS NOT NULL OR n."softBounces" + i.soft >= $6 THEN i.status END,
    "bounceDiagnostic" = CASE WHEN i.kind IS NOT NULL OR n."softBounces" + i.soft >= $6 THEN i.diagnostic END
  FROM input i
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

type TMerged = { kind: "hard" | "complaint" | null; soft: number; status: string; diagnostic: string | null };

/**
 * The events of one batch, one row per notification (an UPDATE changes a row once per statement):
 * soft bounces are counted, and the first hard bounce or complaint decides the outcome.
 */
const mergeByNotification = (events: TBounceEvent[]) => {
  const merged = new Map<string, TMerged>();
  for (const { notificationId, kind, status, diagnostic } of events) {
    const row = merged.get(notificationId) ?? { kind: null, soft: 0, status, diagnostic };
    if (kind === "soft") {
      row.soft += 1;
      if (!row.kind) Object.assign(row, { status, diagnostic });
    } else if (!row.kind) Object.assign(row, { kind, status, diagnostic });
    merged.set(notificationId, row);
  }
  return merged;
};

// Two writers (of this listener or another) whose batches share notifications or members can
// deadlock on their rows; PostgreSQL aborts one, which simply runs again.
const DEADLOCK = "40P01";
const ATTEMPTS = 3;

/** Records a batch of bounces and complaints in one statement; returns what it changed. */
export const recordBounces = async (events: TBounceEvent[]) => {
  if (events.length === 0) return { updated: 0, bounced: 0, suppressed: 0 };
  // In id order, so concurrent batches tend to lock shared rows in the same order.
  const rows = [...mergeByNotification(events)].sort(([a], [b]) => (a < b ? -1 : 1));
  const values = [
    rows.map(([id]) => id),
    rows.map(([, row]) => row.kind),
    rows.map(([, row]) => row.soft),
    rows.map(([, row]) => row.status),
    rows.map(([, row]) => row.diagnostic),
    SOFT_BOUNCES_TO_HARD,
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      const { rows: [counts] } = await pgPool().query<{ updated: number; bounced: number; suppressed: number }>({ name: "record_bounces", text: RECORD_SQL, values });
      return counts!;
    } catch (error) {
      if (attempt >= ATTEMPTS || (error as { code?: string }).code !== DEADLOCK) throw error;
    }
  }
};
