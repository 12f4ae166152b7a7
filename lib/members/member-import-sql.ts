import "server-only";

import { UPSERT_MEMBER_ON_CONFLICT } from "@/lib/members/member-sql";
import type { TMemberInput } from "@/lib/members/schema";

// The CSV import's set-based statements: each part of the file is copied into a temporary staging
// table, then merged into "Member" in the same transaction, so a part is in whole or not at all.

/**
 * One per connection, made on its first part. Temporary, so it costs no WAL and disappears with its
 * session; emptied at every commit, so each part starts from an empty table. `line` orders repeats.
 */
export const CREATE_MEMBER_STAGING_SQL = `
  CREATE TEMPORARY TABLE IF NOT EXISTS member_import_staging (
    line bigint NOT NULL, "externalId" text NOT NULL, email text NOT NULL, country text NOT NULL,
    "birthDate" date NOT NULL, locale text
  ) ON COMMIT DELETE ROWS`;

/** Rows come as COPY text: tab-separated, `\N` for no locale (see toStagingLine). */
export const COPY_MEMBER_STAGING_SQL = `COPY member_import_staging (line, "externalId", email, country, "birthDate", locale) FROM STDIN`;

/** How many of the staged part's members were created; `merged` counts every member it touched. */
export type TMergedPartRow = { created: number; merged: number };

/**
 * The same upsert as UPSERT_MEMBERS_SQL, from the staging table: a null locale keeps the stored one.
 * `staged` is all of the part's rows or, when an externalId repeats within the part, the last of each.
 */
const mergeFrom = (staged: string) => `
  WITH merged AS (
    INSERT INTO "Member" ("externalId", email, country, "birthDate", locale)
    ${staged}
    ${UPSERT_MEMBER_ON_CONFLICT}
    RETURNING (xmax = 0) AS created
  )
  SELECT (count(*) FILTER (WHERE created))::int AS created, count(*)::int AS merged FROM merged`;

/** For a part whose externalIds are all distinct: no sort needed. */
export const MERGE_STAGED_MEMBERS_SQL = mergeFrom(`SELECT "externalId", email, country, "birthDate", locale FROM member_import_staging`);

/** For a part that repeats an externalId: PostgreSQL refuses an upsert touching a row twice, and the last line wins. */
export const MERGE_STAGED_MEMBERS_LAST_WINS_SQL = mergeFrom(`
    SELECT DISTINCT ON ("externalId") "externalId", email, country, "birthDate", locale
    FROM member_import_staging ORDER BY "externalId", line DESC`);

// COPY's text format gives a backslash, tab, line feed and carriage return a meaning: each is escaped.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
const copyText = (value: string) => (COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (character) => COPY_ESCAPES[character]!) : value);

/**
 * A validated member as one line of COPY_MEMBER_STAGING_SQL's input. Only the externalId and the email
 * can hold a character COPY gives a meaning to: the schema allows only letters, digits and `-` in the others.
 */
export const toStagingLine = (line: number, { externalId, email, country, birthDate, locale }: TMemberInput) =>
  `${line}\t${copyText(externalId)}\t${copyText(email)}\t${country}\t${birthDate}\t${locale ?? "\\N"}\n`;
