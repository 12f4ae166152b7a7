import "server-only";

/** Whether an upserted member was new (a row inserted, not updated). */
export type TUpsertedMemberRow = { created: boolean };

/**
 * How a synced member that exists already is updated, whether it comes through the API or the CSV
 * import (member-import-sql.ts): every field replaced, but a null locale keeps the stored one.
 */
export const UPSERT_MEMBER_ON_CONFLICT = `
  ON CONFLICT ("externalId") DO UPDATE SET
    email = EXCLUDED.email, country = EXCLUDED.country, "birthDate" = EXCLUDED."birthDate",
    locale = COALESCE(EXCLUDED.locale, "Member".locale), "updatedAt" = now()`;

/**
 * Inserts or updates every member in one statement, from arrays of externalId $1, email $2,
 * country $3, birthDate $4 and locale $5 (null keeps the stored one).
 */
export const UPSERT_MEMBERS_SQL = `
  INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[])
  ${UPSERT_MEMBER_ON_CONFLICT}
  RETURNING (xmax = 0) AS created`;
