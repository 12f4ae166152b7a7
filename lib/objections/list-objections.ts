import "server-only";

import type pg from "pg";

import { AppError } from "@/lib/errors/app-error";
import { assertRole } from "@/lib/auth/actor";
import type { TAdminActor } from "@/lib/auth/roles";
import type { ObjectionSource, ObjectionStatus } from "@/lib/generated/prisma/enums";
import { assertMaySearchByAddress, auditedAddressSearch, searchesByAddress } from "@/lib/objections/address-search";
import { isLiveSql } from "@/lib/objections/live-objection";
import { maskEmail } from "@/lib/members/mask-email";
import { normaliseEmail } from "@/lib/members/normalise-email";
import type { TObjectionFilters } from "@/lib/objections/objection-filters";
import { objectionIdFromReference } from "@/lib/objections/objection-reference";
import { pgPool } from "@/lib/pg";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** One row of the queue. The address is masked for every role: revealing it is the detail page's audited act. */
export type TObjectionListRow = {
  id: string;
  maskedEmail: string;
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

export type TObjectionListPage = { rows: TObjectionListRow[]; nextCursor: string | null };

type TCursorKey = { sort: "effectiveAt"; effectiveAt: string; id: string } | { sort: "country"; country: string; effectiveAt: string; id: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const encodeCursor = (key: TCursorKey) => Buffer.from(JSON.stringify(key)).toString("base64url");

const decodeCursor = (cursor: string, sort: TObjectionFilters["sort"]): TCursorKey => {
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as TCursorKey;
    const validTime = typeof key.effectiveAt === "string" && !Number.isNaN(Date.parse(key.effectiveAt));
    const validCountry = key.sort !== "country" || (typeof key.country === "string" && /^[A-Z]{2}$/.test(key.country));
    if (key.sort === sort && validTime && validCountry && typeof key.id === "string" && UUID.test(key.id)) return key;
  } catch {
    // Falls through to the error below.
  }
  throw new AppError("invalid", { message: "This page link is no longer valid for these filters: start again from the first page." });
};

/** Midnight UTC starting the day after `day`: the exclusive end of a date range that includes `day`. */
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);

type TQuery = { where: string[]; values: unknown[] };

const param = (query: TQuery, value: unknown) => {
  query.values.push(value);
  return `$${query.values.length}`;
};

/**
 * The WHERE clauses of a filter set, shared by the list and the CSV download so both show the same
 * rows. Every value is a parameter.
 */
export const objectionFilterSql = (filters: TObjectionFilters, query: TQuery = { where: [], values: [] }) => {
  if (filters.status) query.where.push(`o.status = ${param(query, filters.status)}::"ObjectionStatus"`);
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

/** A row as the query reads it: the address in full, masked before it leaves this file. */
type TListedRow = Omit<TObjectionListRow, "maskedEmail"> & { email: string };

/**
 * A page of the objection queue, newest first by default, with keyset paging: `nextCursor` is an
 * opaque base64url of the last row's sort key and id, so the 10,000th row costs what the first does.
 * One parameterised SQL statement. Role viewer and above; addresses come back masked for everyone.
 * A search by full address is a reviewer's, and audited (lib/objections/address-search.ts).
 */
export const listObjections = async ({
  actor,
  filters,
  cursor,
  limit = DEFAULT_PAGE_SIZE,
}: {
  actor: TAdminActor;
  filters: TObjectionFilters;
  cursor?: string | null;
  limit?: number;
}): Promise<TObjectionListPage> => {
  assertRole(actor, "viewer");
  const byAddress = searchesByAddress(filters);
  if (byAddress) assertMaySearchByAddress(actor);
  const pageSize = Math.min(Math.max(1, Math.trunc(limit)), MAX_PAGE_SIZE);
  const query = objectionFilterSql(filters);
  const order = objectionOrderSql(filters, cursor ? decodeCursor(cursor, filters.sort) : null, query);
  const limitParam = param(query, pageSize + 1);
  const text = `SELECT o.id, o.email, m."externalId" AS "memberExternalId", o.country, o.source, o.status, o."effectiveAt",
            (o.reason IS NOT NULL AND o.reason <> '') AS "hasReason",
            (o."spamAt" IS NOT NULL) AS "isSpam",
            (o."rejectionRequestedAt" IS NOT NULL AND ${isLiveSql("o")}) AS "rejectionPending"
       FROM "Objection" o
       LEFT JOIN "Member" m ON m.id = o."memberId"
      ${query.where.length ? `WHERE ${query.where.join(" AND ")}` : ""}
      ${order}
      LIMIT ${limitParam}`;
  const search = async (client: Pick<pg.PoolClient, "query">) => (await client.query<TListedRow>(text, query.values)).rows;
  const rows = byAddress ? await auditedAddressSearch({ actor, filters, pageSize, search }) : await search(pgPool());
  const page = rows.slice(0, pageSize);
  const last = rows.length > pageSize ? page.at(-1) : undefined;
  return {
    rows: page.map(({ email, ...row }) => ({ ...row, maskedEmail: maskEmail(email) })),
    nextCursor: !last
      ? null
      : encodeCursor(
          filters.sort === "country"
            ? { sort: "country", country: last.country, effectiveAt: last.effectiveAt.toISOString(), id: last.id }
            : { sort: "effectiveAt", effectiveAt: last.effectiveAt.toISOString(), id: last.id },
        ),
  };
};
