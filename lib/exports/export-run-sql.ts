// The SQL of an export run. A run's snapshot is what "ExportMember" holds once the run has applied
// its delta, and its delta is computed from the objections marked pending (by triggers, in the
// same transaction as the change) that the run's snapshot can see. So applying delta N to
// snapshot N−1 gives snapshot N by construction: membership comes from stored data, never from
// comparing timestamps with a clock.

import { isLiveSql } from "@/lib/objections/live-objection";

export const SNAPSHOT_COLUMNS = ["seq", "objection_id", "member_external_id", "email_hmac", "country", "source", "effective_at"];
export const DELTA_COLUMNS = ["seq", "op", "objection_id", "member_external_id", "email_hmac", "country", "source", "effective_at"];

/**
 * The newest run of the chain, as a condition on "ExportRun" r: the successful run that no
 * successful run follows. Derived from the chain itself, not from which run's clock reads latest.
 */
export const CHAIN_HEAD = `r.status = 'succeeded' AND r."lastSeq" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "ExportRun" n WHERE n."previousRunId" = r.id AND n.status = 'succeeded' AND n."lastSeq" IS NOT NULL)`;

/** One run at a time; a session lock, taken before the run's snapshot so that it sees the last run's commit. */
export const RUN_LOCK_KEY = 7_302_114_551;

const ROW = `member_external_id, email_hmac, country, source, effective_at`;

/** An objection's exported row; $1 is the hash key. Times are formatted in SQL so files are byte-stable. */
export const EXPORTED_ROW = `coalesce(m."externalId", '') AS member_external_id,
  encode(hmac(o.email, $1::text, 'sha256'), 'hex') AS email_hmac,
  o.country::text AS country, o.source::text AS source,
  to_char(o."effectiveAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS effective_at`;

export type TStatement = { text: string; values?: unknown[] };

type TStage = { hashKey: string; cutoff: Date; runId: string; previousLastSeq: string };

/**
 * The first run of a chain: every row is an add, so the rows go straight into the emptied
 * "ExportMember" in objection id order (both its indexes then grow at one end), and the delta is
 * read back from it. An objection that takes effect after the cutoff stays pending.
 */
const freshChain = ({ hashKey, cutoff, runId }: TStage): TStatement[] => [
  { text: `DELETE FROM "ExportMember"` },
  { text: `DELETE FROM "ExportPending"` },
  { text: `INSERT INTO "ExportPending" ("objectionId") SELECT id FROM "Objection" WHERE ${isLiveSql("")} AND "effectiveAt" > $1::timestamptz`, values: [cutoff] },
  {
    text: `INSERT INTO "ExportMember" ("objectionId", seq, "firstRunId", ${ROW})
     SELECT o.id, row_number() OVER (ORDER BY o.id), $2::uuid, ${EXPORTED_ROW}
     FROM "Objection" o LEFT JOIN "Member" m ON m.id = o."memberId"
     WHERE ${isLiveSql("o")} AND o."effectiveAt" <= $3::timestamptz
     ORDER BY o.id`,
    values: [hashKey, runId, cutoff],
  },
];

const ROW_DIFFERS = `(t.member_external_id, t.email_hmac, t.country, t.source, t.effective_at) IS DISTINCT FROM (em.member_external_id, em.email_hmac, em.country, em.source, em.effective_at)`;

/**
 * The row of `table` whose key `column` is `key`, looked up by its index for each changed row. The
 * LIMIT keeps the planner from folding the lookup into a join: at scale it would hash the whole
 * table (a scan that grows with every objection ever made) for a delta of a few thousand rows.
 * Used only where the rows come from the change set; a full run reads everything anyway.
 */
const byKey = ({ table, alias, column, key }: { table: string; alias: string; column: string; key: string }) =>
  `SELECT * FROM "${table}" ${alias} WHERE ${alias}.${column} = ${key} LIMIT 1`;

/**
 * A run on an existing chain.
 * 1. Consume the pending marks this snapshot sees into `export_changed`. A mark committed after the
 *    snapshot was taken is invisible to it, so it stays for the next run. A full run (a new hash
 *    key) looks at every objection instead, and still consumes the marks.
 * 2. `export_target`: the row each of those objections should have now. One that took effect after
 *    the cutoff waits: it goes back to pending and is not looked at now.
 * 3. `export_delta`, numbered on from the previous run's last seq: every `remove` (a row that left,
 *    or whose values changed), then every `add`, so a withdrawal and a new objection of the same
 *    person apply in that order. Then it is applied to "ExportMember".
 */
const nextInChain = ({ hashKey, cutoff, runId, previousLastSeq, full }: TStage & { full: boolean }): TStatement[] => [
  ...(full
    ? [{ text: `DELETE FROM "ExportPending"` }]
    : [
        { text: `CREATE TEMP TABLE export_changed ON COMMIT DROP AS SELECT NULL::uuid AS id WITH NO DATA` },
        { text: `WITH consumed AS (DELETE FROM "ExportPending" RETURNING "objectionId") INSERT INTO export_changed SELECT DISTINCT "objectionId" FROM consumed` },
        { text: `ANALYZE export_changed` },
      ]),
  {
    text: `CREATE TEMP TABLE export_target ON COMMIT DROP AS
     SELECT o.id AS objection_id, o."effectiveAt" > $2::timestamptz AS waiting, ${EXPORTED_ROW}
     FROM ${full ? `"Objection" o` : `export_changed c JOIN LATERAL (${byKey({ table: "Objection", alias: "o", column: "id", key: "c.id" })}) o ON true`}
     LEFT JOIN "Member" m ON m.id = o."memberId"
     WHERE ${isLiveSql("o")}`,
    values: [hashKey, cutoff],
  },
  { text: `INSERT INTO "ExportPending" ("objectionId") SELECT objection_id FROM export_target WHERE waiting` },
  ...(full ? [] : [{ text: `DELETE FROM export_changed c USING export_target t WHERE t.objection_id = c.id AND t.waiting` }]),
  { text: `DELETE FROM export_target WHERE waiting` },
  { text: `ANALYZE export_target` },
  {
    text: `CREATE TEMP TABLE export_delta ON COMMIT DROP AS
     SELECT $1::bigint + row_number() OVER (ORDER BY phase, old_seq, objection_id) AS seq, op, objection_id, ${ROW}, first_run_id
     FROM (
       SELECT 1 AS phase, 'remove' AS op, em.seq AS old_seq, em."objectionId" AS objection_id,
              em.member_external_id, em.email_hmac, em.country, em.source, em.effective_at, em."firstRunId" AS first_run_id
       FROM ${full ? `"ExportMember" em` : `export_changed c JOIN LATERAL (${byKey({ table: "ExportMember", alias: "em", column: `"objectionId"`, key: "c.id" })}) em ON true`}
       LEFT JOIN export_target t ON t.objection_id = em."objectionId"
       WHERE t.objection_id IS NULL OR ${ROW_DIFFERS}
       UNION ALL
       SELECT 2, 'add', NULL, t.objection_id, t.member_external_id, t.email_hmac, t.country, t.source, t.effective_at,
              coalesce(em."firstRunId", $2::uuid)
       FROM export_target t LEFT JOIN ${full ? `"ExportMember" em ON em."objectionId" = t.objection_id` : `LATERAL (${byKey({ table: "ExportMember", alias: "em", column: `"objectionId"`, key: "t.objection_id" })}) em ON true`}
       WHERE em."objectionId" IS NULL OR ${ROW_DIFFERS}
     ) changes`,
    values: [previousLastSeq, runId],
  },
  { text: `DELETE FROM "ExportMember" em USING export_delta d WHERE d.op = 'remove' AND em."objectionId" = d.objection_id` },
  {
    text: `INSERT INTO "ExportMember" ("objectionId", seq, "firstRunId", ${ROW})
     SELECT objection_id, seq, first_run_id, ${ROW} FROM export_delta WHERE op = 'add' ORDER BY seq`,
  },
];

/** The statements that bring "ExportMember" to this run's snapshot and stage its delta. */
export const stageRunSql = ({ fresh, full, ...stage }: TStage & { fresh: boolean; full: boolean }) => (fresh ? freshChain(stage) : nextInChain({ ...stage, full }));

/** The delta's rows: the staged changes, or for a new chain everything it now holds, as adds. */
const deltaSource = ({ fresh }: { fresh: boolean }) =>
  fresh ? `(SELECT seq, 'add' AS op, "objectionId" AS objection_id, ${ROW} FROM "ExportMember") fresh` : "export_delta";

export const deltaStatsSql = ({ fresh }: { fresh: boolean }) => `SELECT count(*)::int AS rows, coalesce(max(seq), $1::bigint)::text AS "lastSeq" FROM ${deltaSource({ fresh })}`;

export const SNAPSHOT_SQL = `SELECT seq, "objectionId" AS objection_id, ${ROW} FROM "ExportMember" ORDER BY seq`;

export const deltaSql = ({ fresh }: { fresh: boolean }) => `SELECT seq, op, objection_id, ${ROW} FROM ${deltaSource({ fresh })} ORDER BY seq`;
