// Which objections an export holds, as of a cutoff. The cutoffs and the hash key come from
// settings of the export's transaction (setExportSettings), so the same SQL serves COPY, which
// takes no parameters. Times are formatted in SQL so files are byte-identical for a cutoff.
// A rejected objection is in no export.
const CUTOFF = `current_setting('objection.export_cutoff')::timestamptz`;
const PREVIOUS_CUTOFF = `current_setting('objection.export_previous_cutoff')::timestamptz`;

const COLUMNS = `coalesce(m."externalId", '') AS member_external_id,
  encode(hmac(o.email, current_setting('objection.export_hash_key'), 'sha256'), 'hex') AS email_hmac,
  o.country, o.source::text AS source,
  to_char(o."effectiveAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS effective_at`;

const EFFECTIVE_AT = (cutoff: string) => `(o."effectiveAt" <= ${cutoff} AND o.status <> 'rejected' AND (o."withdrawnAt" IS NULL OR o."withdrawnAt" > ${cutoff}))`;

const FROM = `"Objection" o LEFT JOIN "Member" m ON m.id = o."memberId"`;

export const SNAPSHOT_SQL = `SELECT ${COLUMNS} FROM ${FROM} WHERE ${EFFECTIVE_AT(CUTOFF)} ORDER BY o."effectiveAt", o.id`;

/** What joined since the previous run's cutoff (`add`), and what left, by withdrawal (`remove`). */
export const DELTA_SQL = `
  SELECT op, member_external_id, email_hmac, country, source, effective_at FROM (
    SELECT 'add' AS op, ${COLUMNS}, o."effectiveAt" AS at, o.id FROM ${FROM} WHERE ${EFFECTIVE_AT(CUTOFF)} AND NOT ${EFFECTIVE_AT(PREVIOUS_CUTOFF)}
    UNION ALL
    SELECT 'remove' AS op, ${COLUMNS}, o."effectiveAt" AS at, o.id FROM ${FROM} WHERE ${EFFECTIVE_AT(PREVIOUS_CUTOFF)} AND NOT ${EFFECTIVE_AT(CUTOFF)}
  ) changes
  ORDER BY op, at, id`;

/** Sets what the queries read, for the rest of the caller's transaction only. */
export const EXPORT_SETTINGS_SQL = `SELECT set_config('objection.export_cutoff', $1, true), set_config('objection.export_previous_cutoff', $2, true),
  set_config('objection.export_hash_key', $3, true)`;
