// The export bench's data (scripts/bench/export.ts): the seeded members and objections, and the
// rounds of changes between runs, all set-based.
import type pg from "pg";

const EEA = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"];
const COUNTRY_OF = (i: string) => `(ARRAY['${EEA.join("','")}'])[1 + ${i} % ${EEA.length}]`;
const SOURCE_OF = (i: string) => `((ARRAY['email_link','in_app_link','direct','gpc','in_app_setting'])[1 + ${i} % 5])::"ObjectionSource"`;

/** How many changes of each kind a round makes, and which members they pick. */
const changePlan = ({ rows, changes }: { rows: number; changes: number }) => {
  const withdrawals = Math.floor(changes / 4);
  const renames = Math.floor(changes / 4);
  // Withdrawals and renames of round r pick members bench-(1 + k·stride + offset), offsets 2r and
  // 2r + 1, so no two rounds or kinds touch the same member. stride ≥ 4 because changes ≤ rows.
  return { withdrawals, renames, newObjections: changes - withdrawals - renames, stride: Math.floor(rows / withdrawals) };
};

// Secondary indexes of the seeded tables (not the primary keys, which foreign keys need). Built
// once after the load instead of row by row, they halve the seeding time at 10,000,000 rows.
const SECONDARY_INDEXES_SQL = `SELECT indexname, indexdef FROM pg_indexes
  WHERE schemaname = current_schema() AND tablename IN ('Member', 'Objection') AND indexname NOT IN (SELECT conname FROM pg_constraint)`;

/** Seeds `rows` members with an effective objection each. */
export const seed = async (pool: pg.Pool, rows: number) => {
  const indexes = (await pool.query<{ indexname: string; indexdef: string }>(SECONDARY_INDEXES_SQL)).rows;
  for (const { indexname } of indexes) await pool.query(`DROP INDEX "${indexname}"`);
  await pool.query(
    `INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
     SELECT 'bench-' || i, 'member.' || i || '@example.eu', ${COUNTRY_OF("i")}, date '1940-01-01' + i % 24000, (ARRAY['en','de','fr',NULL])[1 + i % 4]
     FROM generate_series(1, $1::int) AS i`,
    [rows],
  );
  // Effective between 200 and about 85 days ago (10,000,000 seconds is 116 days): all before any cutoff.
  await pool.query(
    `INSERT INTO "Objection" ("memberId", email, country, source, "effectiveAt")
     SELECT id, email, country, ${SOURCE_OF("i")}, now() - interval '200 days' + i * interval '1 second'
     FROM (SELECT id, email, country, substr("externalId", 7)::int AS i FROM "Member") AS m`,
  );
  for (const { indexdef } of indexes) await pool.query(indexdef);
  await pool.query(`VACUUM ANALYZE`);
};

/**
 * One round of changes after a run, set-based: new objections of new members, withdrawals, and
 * renamed members (whose exported rows change). Returns the delta rows the next run should write.
 */
export const makeChanges = async (pool: pg.Pool, { round, rows, changes }: { round: number; rows: number; changes: number }) => {
  const { withdrawals, renames, newObjections, stride } = changePlan({ rows, changes });
  const added = await pool.query(
    `WITH m AS (
       INSERT INTO "Member" ("externalId", email, country, "birthDate")
       SELECT 'bench-new-' || $1::int || '-' || i, 'new.' || $1::int || '.' || i || '@example.eu', ${COUNTRY_OF("i")}, date '1980-01-01' + i % 9000
       FROM generate_series(1, $2::int) AS i
       RETURNING id, email, country, "birthDate"
     )
     INSERT INTO "Objection" ("memberId", email, country, source)
     SELECT id, email, country, ${SOURCE_OF("(\"birthDate\" - date '1980-01-01')")} FROM m`,
    [round, newObjections],
  );
  const picked = (offset: number) => `SELECT 'bench-' || (1 + k * ${stride} + ${offset}) AS "externalId" FROM generate_series(0, ${withdrawals - 1}) AS k`;
  const withdrawn = await pool.query(
    `UPDATE "Objection" o SET status = 'withdrawn', "withdrawnAt" = now()
     FROM "Member" m JOIN (${picked(2 * round)}) p USING ("externalId")
     WHERE o."memberId" = m.id AND o.status = 'effective'`,
  );
  const renamed = await pool.query(
    `UPDATE "Member" m SET "externalId" = m."externalId" || '-renamed' FROM (${picked(2 * round + 1)}) p WHERE m."externalId" = p."externalId"`,
  );
  if (added.rowCount !== newObjections || withdrawn.rowCount !== withdrawals || renamed.rowCount !== renames) {
    throw new Error(`changes made: ${added.rowCount} new, ${withdrawn.rowCount} withdrawn, ${renamed.rowCount} renamed; expected ${newObjections}, ${withdrawals}, ${renames}`);
  }
  // A renamed member's objection leaves and comes back with its new id: a remove and an add.
  return { delta: newObjections + withdrawals + 2 * renames, growth: newObjections - withdrawals };
};
