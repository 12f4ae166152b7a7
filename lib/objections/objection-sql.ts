import "server-only";

import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import { enqueueJobsSql, QUEUES } from "@/lib/jobs";
import { isLiveSql } from "@/lib/objections/live-objection";
import { normaliseEmail } from "@/lib/members/normalise-email";
import type { TObjectionFilters } from "@/lib/objections/objection-filters";
import { objectionIdFromReference } from "@/lib/objections/objection-reference";

/** Where a page of the queue ends: its last row's sort key and id. */
export type TCursorKey = { sort: "effectiveAt"; effectiveAt: string; id: string } | { sort: "country"; country: string; effectiveAt: string; id: string };

/** Midnight UTC starting the day after `day`: the exclusive end of a date range that includes `day`. */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);

export type TQuery = { where: string[]; values: unknown[] };

export const param = (query: TQuery, value: unknown) => {
  query.values.push(value);
  return `$${query.values.length}`;
};

/**
 * The WHERE clauses of a filter set, shared by the list and the CSV download so both show the same
 * rows. Every value is a parameter.
 */
export const objectionFilterSql = (filters: TObjectionFilters, query: TQuery = { where: [], values: [] }) => {
  if (filters.status === "rejection_pending") query.where.push(`${isLiveSql("o")} AND o."rejectionRequestedAt" IS NOT NULL`);
  else if (filters.status === "unmatched") query.where.push(`${isLiveSql("o")} AND o."memberId" IS NULL`);
  else if (filters.status) query.where.push(`o.status = ${param(query, filters.status)}::"ObjectionStatus"`);
  if (filters.source) query.where.push(`o.source = ${param(query, filters.source)}::"ObjectionSource"`);
  if (filters.country) query.where.push(`o.country = ${param(query, filters.country)}`);
  if (filters.matched === "matched") query.where.push(`o."memberId" IS NOT NULL`);
  if (filters.matched === "unmatched") query.where.push(`o."memberId" IS NULL`);
  if (filters.from) query.where.push(`o."effectiveAt" >= ${param(query, new Date(`${filters.from}T00:00:00Z`))}`);
  if (filters.to) query.where.push(`o."effectiveAt" < ${param(query, dayAfter(filters.to))}`);
  if (filters.hasReason === "yes") query.where.push(`o.reason IS NOT NULL AND o.reason <> ''`);
  if (filters.hasReason === "no") query.where.push(`(o.reason IS NULL OR o.reason = '')`);
  if (filters.q) {
    // An address finds objections made with it (Objection.email is stored normalised) and those of the
    // members registered with it; anything else is an external id, or an objection's reference (or
    // id) from a receipt or the status page. All are exact, on indexes.
    const referenced = filters.q.includes("@") ? null : objectionIdFromReference(filters.q);
    if (filters.q.includes("@")) {
      const email = param(query, normaliseEmail(filters.q));
      query.where.push(`(o.email = ${email} OR o."memberId" = ANY(ARRAY(SELECT id FROM "Member" WHERE email = ${email})))`);
    } else if (referenced) {
      query.where.push(`(o.id = ${param(query, referenced)}::uuid OR o."memberId" = (SELECT id FROM "Member" WHERE "externalId" = ${param(query, filters.q)}))`);
    } else {
      query.where.push(`o."memberId" = (SELECT id FROM "Member" WHERE "externalId" = ${param(query, filters.q)})`);
    }
  }
  return query;
};

/**
 * The ORDER BY and the keyset condition after `cursor`. Each order is an index's order or its exact
 * reverse (Objection(effectiveAt desc, id desc) and Objection(country, effectiveAt desc, id desc)), so
 * a page deep in the list reads its rows from the index instead of sorting everything before them.
 */
export const objectionOrderSql = (filters: TObjectionFilters, cursor: TCursorKey | null, query: TQuery) => {
  const descending = filters.dir === "desc";
  if (filters.sort === "effectiveAt") {
    if (cursor) {
      const operator = descending ? "<" : ">";
      query.where.push(`(o."effectiveAt", o.id) ${operator} (${param(query, new Date(cursor.effectiveAt))}::timestamptz, ${param(query, cursor.id)}::uuid)`);
    }
    const direction = descending ? "DESC" : "ASC";
    return `ORDER BY o."effectiveAt" ${direction}, o.id ${direction}`;
  }
  // By country: A→Z shows each country's newest first (the index's own order); Z→A is its reverse.
  if (cursor && cursor.sort === "country") {
    const country = param(query, cursor.country);
    const time = param(query, new Date(cursor.effectiveAt));
    const id = param(query, cursor.id);
    const [countryOperator, rowOperator] = descending ? ["<", ">"] : [">", "<"];
    // The first clause gives the index scan its start; the second skips what is left of the cursor's country.
    query.where.push(
      `o.country ${countryOperator}= ${country} AND (o.country ${countryOperator} ${country} OR (o."effectiveAt", o.id) ${rowOperator} (${time}::timestamptz, ${id}::uuid))`,
    );
  }
  return descending ? `ORDER BY o.country DESC, o."effectiveAt" ASC, o.id ASC` : `ORDER BY o.country ASC, o."effectiveAt" DESC, o.id DESC`;
};

/** A row of the queue as the query reads it: the address in full, masked before it leaves lib/objections/list-objections.ts. */
export type TListedObjectionRow = {
  id: string;
  email: string;
  /** The platform's pseudonymous id of the matched member; null while unmatched. */
  memberExternalId: string | null;
  country: string;
  source: ObjectionSource;
  status: ObjectionStatus;
  effectiveAt: Date;
  hasReason: boolean;
  isSpam: boolean;
  rejectionPending: boolean;
};

/** A page of the queue: `query` from objectionFilterSql, `order` from objectionOrderSql, `limit` the page size's placeholder. */
export const listObjectionsSql = ({ query, order, limit }: { query: TQuery; order: string; limit: string }) => `
  SELECT o.id, o.email, m."externalId" AS "memberExternalId", o.country, o.source, o.status, o."effectiveAt",
         (o.reason IS NOT NULL AND o.reason <> '') AS "hasReason",
         (o."spamAt" IS NOT NULL) AS "isSpam",
         (o."rejectionRequestedAt" IS NOT NULL AND ${isLiveSql("o")}) AS "rejectionPending"
    FROM "Objection" o
    LEFT JOIN "Member" m ON m.id = o."memberId"
   ${query.where.length ? `WHERE ${query.where.join(" AND ")}` : ""}
   ${order}
   LIMIT ${limit}`;

/** The download's rows, every column already text as the CSV writes it: `query` and `order` as for the list; the address only when asked for. */
export const objectionsCsvSql = ({ query, order, addresses }: { query: TQuery; order: string; addresses: boolean }) => `
  SELECT o.id AS objection_id, ${addresses ? "o.email, " : ""}coalesce(m."externalId", '') AS member_external_id, o.country::text AS country,
         o.source::text AS source, o.status::text AS status,
         to_char(o."effectiveAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS effective_at,
         coalesce(to_char(o."withdrawnAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '') AS withdrawn_at,
         CASE WHEN o.reason IS NOT NULL AND o.reason <> '' THEN 'yes' ELSE 'no' END AS has_reason,
         CASE WHEN o."spamAt" IS NOT NULL THEN 'yes' ELSE 'no' END AS spam,
         CASE WHEN o."rejectionRequestedAt" IS NOT NULL AND ${isLiveSql("o")} THEN 'yes' ELSE 'no' END AS rejection_pending
    FROM "Objection" o LEFT JOIN "Member" m ON m.id = o."memberId"
   ${query.where.length ? `WHERE ${query.where.join(" AND ")}` : ""}
   ${order}`;

/** An objection a receipt is for, with its member's language and whether a receipt went out already. */
export type TReceiptRow = { id: string; email: string; country: string; effectiveAt: Date; memberId: string | null; locale: string | null; alreadySent: boolean };

/** The objections of the receipt jobs $1 (uuid[]), in one read. */
export const RECEIPT_ROWS_SQL = `
  SELECT o.id, o.email, o.country, o."effectiveAt", m.id AS "memberId", m.locale,
         EXISTS (SELECT 1 FROM "ObjectionEvent" e WHERE e."objectionId" = o.id AND e.type = 'receipt_sent') AS "alreadySent"
    FROM "Objection" o LEFT JOIN "Member" m ON m.id = o."memberId"
   WHERE o.id = ANY($1::uuid[])`;

/**
 * One receipt outcome (the worker records each as it is known): objection $1, event type $2,
 * detail $3, the job as actor $4 and $5. An event already recorded (the same detail: a sent
 * receipt's names its message) is not recorded again, so the statement is safe to send again
 * when its connection was lost.
 */
export const RECORD_RECEIPT_EVENT_SQL = `
  INSERT INTO "ObjectionEvent" ("objectionId", type, "actorType", "actorId", detail)
  SELECT $1::uuid, $2::"ObjectionEventType", $4::"ActorType", $5, $3::jsonb
   WHERE NOT EXISTS (SELECT 1 FROM "ObjectionEvent" e WHERE e."objectionId" = $1::uuid AND e.type = $2::"ObjectionEventType" AND e.detail = $3::jsonb)`;

// One statement for every address, known or not: the address is kept for the worker (the job
// itself carries only the row's id, so queue tables hold no address) and the job is queued with it.
export const REQUEST_OBJECTION_LINK_SQL = `
  WITH link AS (
    INSERT INTO "AddressLink" (email, locale, country, "expiresAt")
    VALUES ($1, $2, $3, now() + $4 * interval '1 day')
    RETURNING jsonb_build_object('addressLinkId', id) AS data
  ), job AS (${enqueueJobsSql({ queue: QUEUES.objectionLinkRequest.name, from: "link" })}
  )
  SELECT 1`;

/** Address links past their time: of no use to anyone, so each link job clears them (the index makes it cheap). */
export const DELETE_EXPIRED_ADDRESS_LINKS_SQL = `DELETE FROM "AddressLink" WHERE "expiresAt" <= now()`;
