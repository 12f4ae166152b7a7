import "server-only";

import { assertActorKind, type TActor } from "@/lib/auth/actor";
import { BOUNCE_WINDOW_DAYS } from "@/lib/bounces/record-bounces";
import { pgPool } from "@/lib/pg";

/**
 * Days a soft report is kept: to know it again (a sender that missed our 250 tries again for some
 * days; RFC 5321 advises giving up after 4 or 5), and to add up a member's soft bounces within
 * their window. Past it a report counts for nothing, and the notice keeps its lifetime count
 * (`softBounces`) without the rows.
 */
export const BOUNCE_REPORT_RETENTION_DAYS = BOUNCE_WINDOW_DAYS;

// There is no index on "receivedAt" (the key is (notificationId, digest), as the listener needs):
// each batch scans the table. At a few million rows at most, once a day, that is acceptable, and
// cheaper than an index every insert would pay for. Batches keep each transaction, its locks and
// its WAL short, so the listener's inserts never wait long; ctid finds the rows the scan picked.
const PRUNE_SQL = `
DELETE FROM "BounceReport"
WHERE ctid = ANY (ARRAY(SELECT ctid FROM "BounceReport" WHERE "receivedAt" < $1 LIMIT $2))`;

/** Deletes the reports received over BOUNCE_REPORT_RETENTION_DAYS ago, `batchSize` at a time; returns how many. Run by its daily job. */
export const pruneBounceReports = async ({ actor, batchSize = 10_000 }: { actor: TActor; batchSize?: number }) => {
  assertActorKind(actor, "system");
  // One cut-off for the whole run, so it ends even while reports keep coming in.
  const before = new Date(Date.now() - BOUNCE_REPORT_RETENTION_DAYS * 24 * 60 * 60 * 1000);
  let deleted = 0;
  for (;;) {
    const { rowCount } = await pgPool().query(PRUNE_SQL, [before, batchSize]);
    deleted += rowCount ?? 0;
    if ((rowCount ?? 0) < batchSize) return deleted;
  }
};
