// The SQL of an export run. A run's snapshot is what "ExportMember" holds once the run has applied
// its delta, and its delta is computed from the objections marked pending (by triggers, in the
// same transaction as the change) that the run's snapshot can see. So applying delta N to
// snapshot N−1 gives snapshot N by construction: membership comes from stored data, never from
// comparing timestamps with a clock.

export const SNAPSHOT_COLUMNS = ["seq", "objection_id", "member_external_id", "email_hmac", "country", "source", "effective_at"];
export const DELTA_COLUMNS = ["seq", "op", "objection_id", "member_external_id", "email_hmac", "country", "source", "effective_at"];

/** One run at a time; a session lock, taken before the run's snapshot so that it sees the last run's commit. */
export const RUN_LOCK_KEY = 7_302_114_551;

const ROW = `member_external_id, email_hmac, country, source, effective_at`;

/**
 * Consumes the pending marks this snapshot sees. A mark committed after the snapshot was taken is
 * invisible to it, so it stays for the next run. A full run (a new chain, or a new hash key) looks
 * at every objection instead, but still consumes the marks.
 */
export const stageChangedSql = ({ full }: { full: boolean }) =>
  full
    ? [`DELETE FROM "ExportPending"`]
    : [
        `CREATE TEMP TABLE export_changed ON COMMIT DROP AS SELECT NULL::uuid AS id WITH NO DATA`,
        `WITH consumed AS (DELETE FROM "ExportPending" RETURNING "objectionId")
         INSERT INTO export_changed SELECT DISTINCT "objectionId" FROM consumed`,
        `ANALYZE export_changed`,
      ];

/**
 * The row each objection looked at should have now ($1 hash key, $2 cutoff). One that took effect
 * after the cutoff waits: it goes back to pending, for the next run, and is not looked at now.
 */
export const stageTargetSql = ({ full }: { full: boolean }) => [
  `CREATE TEMP TABLE export_target ON COMMIT DROP AS
   SELECT o.id AS objection_id, o."effectiveAt" > $2::timestamptz AS waiting, o."effectiveAt" AS at,
          coalesce(m."externalId", '') AS member_external_id,
          encode(hmac(o.email, $1::text, 'sha256'), 'hex') AS email_hmac,
          o.country::text AS country, o.source::text AS source,
          to_char(o."effectiveAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS effective_at
   FROM ${full ? `"Objection" o` : `export_changed c JOIN "Objection" o ON o.id = c.id`} LEFT JOIN "Member" m ON m.id = o."memberId"
   WHERE o.status = 'effective'`,
  `INSERT INTO "ExportPending" ("objectionId") SELECT objection_id FROM export_target WHERE waiting`,
  ...(full ? [] : [`DELETE FROM export_changed c USING export_target t WHERE t.objection_id = c.id AND t.waiting`]),
  `DELETE FROM export_target WHERE waiting`,
  `ANALYZE export_target`,
];

const ROW_DIFFERS = `(t.member_external_id, t.email_hmac, t.country, t.source, t.effective_at) IS DISTINCT FROM (em.member_external_id, em.email_hmac, em.country, em.source, em.effective_at)`;

/**
 * The delta, numbered on from the previous run's last seq ($1) with this run's id ($2) as the
 * first run of what it adds: every `remove` (a row that left, or whose values changed), then every
 * `add`, so a withdrawal and a new objection of the same person apply in that order. Then it is
 * applied to "ExportMember".
 */
export const stageDeltaSql = ({ full }: { full: boolean }) => [
  `CREATE TEMP TABLE export_delta ON COMMIT DROP AS
   SELECT $1::bigint + row_number() OVER (ORDER BY phase, old_seq, at, objection_id) AS seq, op, objection_id, ${ROW}, first_run_id
   FROM (
     SELECT 1 AS phase, 'remove' AS op, em.seq AS old_seq, NULL::timestamptz AS at, em."objectionId" AS objection_id,
            em.member_external_id, em.email_hmac, em.country, em.source, em.effective_at, em."firstRunId" AS first_run_id
     FROM "ExportMember" em ${full ? "" : `JOIN export_changed c ON c.id = em."objectionId"`}
     LEFT JOIN export_target t ON t.objection_id = em."objectionId"
     WHERE t.objection_id IS NULL OR ${ROW_DIFFERS}
     UNION ALL
     SELECT 2, 'add', NULL, t.at, t.objection_id, t.member_external_id, t.email_hmac, t.country, t.source, t.effective_at,
            coalesce(em."firstRunId", $2::uuid)
     FROM export_target t LEFT JOIN "ExportMember" em ON em."objectionId" = t.objection_id
     WHERE em."objectionId" IS NULL OR ${ROW_DIFFERS}
   ) changes`,
  `DELETE FROM "ExportMember" em USING export_delta d WHERE d.op = 'remove' AND em."objectionId" = d.objection_id`,
  `INSERT INTO "ExportMember" ("objectionId", seq, "firstRunId", ${ROW})
   SELECT objection_id, seq, first_run_id, ${ROW} FROM export_delta WHERE op = 'add' ORDER BY seq`,
];

export const DELTA_STATS_SQL = `SELECT count(*)::int AS rows, coalesce(max(seq), $1::bigint)::text AS "lastSeq" FROM export_delta`;

export const SNAPSHOT_SQL = `SELECT seq, "objectionId" AS objection_id, ${ROW} FROM "ExportMember" ORDER BY seq`;

export const DELTA_SQL = `SELECT seq, op, objection_id, ${ROW} FROM export_delta ORDER BY seq`;
