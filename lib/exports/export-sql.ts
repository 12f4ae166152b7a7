import "server-only";

import type { TExportFile, TExportManifest } from "@/lib/exports/export-manifest";
import { CHAIN_HEAD } from "@/lib/exports/export-run-sql";

// The export's statements about its runs, their housekeeping and its jobs. What a run computes and
// writes (staging, delta, snapshot) is in lib/exports/export-run-sql.ts.

/** The run lock ($1: RUN_LOCK_KEY), a session lock (on a direct connection: lib/pg.ts): one run at a time, however many workers. */
export const LOCK_RUNS_SQL = `SELECT pg_advisory_lock($1)`;
export const UNLOCK_RUNS_SQL = `SELECT pg_advisory_unlock($1)`;
export type TTryLockRow = { locked: boolean };
/** The run lock for one transaction, if no run holds it: a transaction's and a session's lock on one key exclude each other. */
export const TRY_LOCK_RUNS_SQL = `SELECT pg_try_advisory_xact_lock($1) AS locked`;

/** A new run: cutoff $1 (the database's clock when null), format $2, location $3. */
export type TStartedRunRow = { id: string; cutoff: Date };
export const START_RUN_SQL = `INSERT INTO "ExportRun" (cutoff, format, location) VALUES (coalesce($1::timestamptz, now()), $2, $3) RETURNING id, cutoff`;

/** The head of the chain, which a run continues. */
export type TPreviousRunRow = { id: string; cutoff: Date; lastSeq: string; hashKeyId: string | null; hashKeyCheck: string | null };
export const PREVIOUS_RUN_SQL = `SELECT r.id, r.cutoff, r."lastSeq"::text AS "lastSeq", r."hashKeyId", r."hashKeyCheck" FROM "ExportRun" r WHERE ${CHAIN_HEAD}`;

/** Run $1 succeeded, unless it was marked failed while it ran: previous run $2 and cutoff $3, files $4, manifest $5, hash key id $6, last seq $7, hash key check $8. */
export const FINISH_RUN_SQL = `
  UPDATE "ExportRun" SET status = 'succeeded', "previousRunId" = $2, "previousCutoff" = $3, files = $4, manifest = $5, "hashKeyId" = $6, "lastSeq" = $7, "hashKeyCheck" = $8, "finishedAt" = now()
   WHERE id = $1 AND status = 'running'`;

/** Run $1 failed with error $2, unless it has finished. */
export const FAIL_RUN_SQL = `UPDATE "ExportRun" SET status = 'failed', error = $2, "finishedAt" = now() WHERE id = $1 AND status = 'running'`;

/** Every run still running failed, with error $1: only for a caller that holds the run lock. */
export const FAIL_RUNNING_RUNS_SQL = `UPDATE "ExportRun" SET status = 'failed', error = $1, "finishedAt" = now() WHERE status = 'running'`;

/** Runs running for more than $1 minutes failed, with error $2. */
export const FAIL_STALE_RUNS_SQL = `UPDATE "ExportRun" SET status = 'failed', error = $2, "finishedAt" = now() WHERE status = 'running' AND "startedAt" < now() - make_interval(mins => $1)`;

/** Committed runs whose manifest storage did not take at the time. */
export type TManifestPendingRow = { location: string; manifest: TExportManifest };
export const MANIFESTS_PENDING_SQL = `SELECT location, manifest FROM "ExportRun" WHERE status = 'succeeded' AND manifest IS NOT NULL AND "manifestWrittenAt" IS NULL AND "filesDeletedAt" IS NULL`;

/** Runs whose files may go: not among the newest $1 successful runs, and superseded (see deleteExpiredRunFiles). */
export type TExpiredRunRow = { id: string; location: string };
export const EXPIRED_RUN_FILES_SQL = `
  WITH kept AS (SELECT id FROM "ExportRun" WHERE status = 'succeeded' ORDER BY "finishedAt" DESC LIMIT $1)
  SELECT r.id, r.location FROM "ExportRun" r
   WHERE r."filesDeletedAt" IS NULL AND r.status <> 'running' AND r.id NOT IN (SELECT id FROM kept)
     AND (
       (r.status = 'succeeded' AND EXISTS (SELECT 1 FROM "ExportRun" a WHERE a."acknowledgedAt" IS NOT NULL AND a."finishedAt" > r."finishedAt"))
       OR (r.status = 'failed' AND EXISTS (SELECT 1 FROM "ExportRun" s WHERE s.status = 'succeeded' AND s."finishedAt" > r."startedAt"))
     )`;

/** The signed manifest of the chain's head, as stored with it. */
export type TLatestManifestRow = { manifest: TExportManifest; acknowledgedAt: Date | null };
export const LATEST_MANIFEST_SQL = `SELECT r.manifest, r."acknowledgedAt" FROM "ExportRun" r WHERE ${CHAIN_HEAD} AND r.manifest IS NOT NULL`;

/** Serialises acknowledgements, so that each sees the one before it and no objection's export hours count twice. */
export const LOCK_ACKNOWLEDGEMENTS_SQL = `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('objection:export-acknowledge'))`;

/**
 * Successful run $1 acknowledged; the first acknowledgement counts (a second answers the first's
 * time and changes nothing). The first one also adds to the transparency report's histogram
 * (lib/transparency) the whole hours, capped at $2, from each objection it is the first
 * acknowledged export of to now: the objections whose first run lies after every run acknowledged
 * before and not after this one (so a later run's acknowledgement covers an earlier unacknowledged
 * run's new objections, and an earlier run acknowledged after a later one adds nothing). A new
 * chain's first run holds every objection again: of those, the ones made before the newest
 * acknowledged cutoff were counted in the old chain. Run under LOCK_ACKNOWLEDGEMENTS_SQL. Returns,
 * with the run, the (country, month) keys it added to (`countries`, `months`: one key a position).
 */
export type TAcknowledgedRunRow = { id: string; acknowledgedAt: Date; countries: string[]; months: string[] };
export const ACKNOWLEDGE_RUN_SQL = `
  WITH acked AS (
    UPDATE "ExportRun" SET "acknowledgedAt" = now() WHERE id = $1 AND status = 'succeeded' AND "acknowledgedAt" IS NULL RETURNING id, cutoff, "acknowledgedAt"
  ),
  covered AS (SELECT coalesce(max(cutoff), '-infinity'::timestamptz) AS upto FROM "ExportRun" WHERE status = 'succeeded' AND "acknowledgedAt" IS NOT NULL),
  exported AS (
    SELECT o.country, transparency_month(o."effectiveAt") AS month,
      least(greatest(floor(extract(epoch FROM a."acknowledgedAt" - o."effectiveAt") / 3600), 0), $2)::int AS hours
    FROM acked a CROSS JOIN covered c
    JOIN "ExportRun" f ON f.status = 'succeeded' AND f.cutoff > c.upto AND f.cutoff <= a.cutoff
    JOIN "ExportMember" em ON em."firstRunId" = f.id
    JOIN "Objection" o ON o.id = em."objectionId"
    WHERE NOT (f."previousRunId" IS NULL AND o."effectiveAt" <= c.upto)
  ),
  counted AS (
    INSERT INTO "TransparencyExportHours" (country, month, hours, count)
    SELECT country, month, hours, count(*) FROM exported GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
    ON CONFLICT (country, month, hours) DO UPDATE SET count = "TransparencyExportHours".count + EXCLUDED.count
    RETURNING country, month
  ),
  touched AS (SELECT DISTINCT country::text AS country, month::text AS month FROM counted)
  SELECT id, "acknowledgedAt",
    coalesce((SELECT array_agg(country ORDER BY country, month) FROM touched), '{}') AS countries,
    coalesce((SELECT array_agg(month ORDER BY country, month) FROM touched), '{}') AS months
  FROM acked
  UNION ALL
  SELECT id, "acknowledgedAt", '{}', '{}' FROM "ExportRun" WHERE id = $1 AND status = 'succeeded' AND "acknowledgedAt" IS NOT NULL`;

/** The (country, month) keys an acknowledgement added export hours to ($1 countries, $2 months as YYYY-MM-DD, one key a position): their medians recomputed, in its transaction. */
export const REFRESH_EXPORT_MEDIANS_SQL = `SELECT 1 AS refreshed FROM refresh_transparency_medians($1::text[], $2::date[])`;

/** The first successful run that held objection $1. */
export type TFirstExportRunRow = { id: string; cutoff: Date; acknowledgedAt: Date | null };
export const FIRST_EXPORT_RUN_SQL = `SELECT r.id, r.cutoff, r."acknowledgedAt" FROM "ExportMember" em JOIN "ExportRun" r ON r.id = em."firstRunId" WHERE em."objectionId" = $1 AND r.status = 'succeeded'`;

export type TExportRunRow = {
  id: string;
  kind: "snapshot" | "delta";
  status: "running" | "succeeded" | "failed";
  cutoff: Date;
  format: string;
  location: string;
  files: TExportFile[] | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  acknowledgedAt: Date | null;
  filesDeletedAt: Date | null;
};

const SELECT_RUN = `SELECT id, CASE WHEN "previousRunId" IS NULL THEN 'snapshot' ELSE 'delta' END AS kind, status::text AS status, cutoff, format, location,
       files, error, "startedAt", "finishedAt", "acknowledgedAt", "filesDeletedAt" FROM "ExportRun"`;

/** A page of runs: page size + 1 $1, and after a cursor its startedAt $2 and id $3. */
export const listExportRunsSql = ({ after, ascending }: { after: boolean; ascending: boolean }) =>
  `${SELECT_RUN} ${after ? `WHERE ("startedAt", id) ${ascending ? ">" : "<"} ($2::timestamptz, $3::uuid)` : ""} ORDER BY "startedAt" ${ascending ? "ASC" : "DESC"}, id ${ascending ? "ASC" : "DESC"} LIMIT $1`;

export const EXPORT_RUN_BY_ID_SQL = `${SELECT_RUN} WHERE id = $1::uuid`;

/** An export job as pg-boss holds it. */
export type TExportJobRow = { state: string; startedOn: Date | null; completedOn: Date | null; output: { message?: string; value?: { message?: string } } | null };

/** Job $1 of queue $2. pg-boss moves finished jobs to its archive after a while; either table answers. */
export const EXPORT_JOB_SQL = `SELECT state::text AS state, started_on AS "startedOn", completed_on AS "completedOn", output FROM pgboss.job WHERE id = $1::uuid AND name = $2
  UNION ALL SELECT state::text, started_on, completed_on, output FROM pgboss.archive WHERE id = $1::uuid AND name = $2 LIMIT 1`;

/**
 * Serialises starting an export from the console: the second of two clicks sees the first's job.
 * It selects a constant, not the lock function's void, which Prisma's raw results cannot carry.
 */
export const LOCK_EXPORT_START_SQL = `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('objection:export-start'))`;

/** The newest job of queue $1 that is waiting or under way. */
export type TPendingExportJobRow = { id: string };

export const PENDING_EXPORT_JOB_SQL = `
  SELECT id::text AS id FROM pgboss.job
   WHERE name = $1 AND state IN ('created', 'retry', 'active')
   ORDER BY created_on DESC LIMIT 1`;
