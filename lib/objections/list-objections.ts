import "server-only";

import type pg from "pg";

import { AppError } from "@/lib/errors/app-error";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { assertMaySearchByAddress, auditedAddressSearch, searchesByAddress } from "@/lib/objections/address-search";
import { consoleEmail } from "@/lib/admins/masking";
import type { TObjectionFilters } from "@/lib/objections/objection-filters";
import { listObjectionsSql, objectionFilterSql, objectionOrderSql, param, type TCursorKey, type TListedObjectionRow } from "@/lib/objections/objection-sql";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** One row of the queue. The address is masked for every role: revealing it is the detail page's audited act. */
export type TObjectionListRow = Omit<TListedObjectionRow, "email"> & { maskedEmail: string };

export type TObjectionListPage = { rows: TObjectionListRow[]; nextCursor: string | null };

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

/**
 * A page of the objection queue, newest first by default, with keyset paging: `nextCursor` is an
 * opaque base64url of the last row's sort key and id, so the 10,000th row costs what the first does.
 * One parameterised SQL statement. Role viewer and above; addresses come back masked for everyone.
 * A search by full address is a reviewer's, and audited (lib/objections/address-search.ts), on the
 * primary; the others read the replica unless `primary` (lib/read-replica/read-on-replica.ts).
 */
export const listObjections = async ({
  actor,
  filters,
  cursor,
  limit = DEFAULT_PAGE_SIZE,
  primary,
}: {
  actor: TActor;
  filters: TObjectionFilters;
  cursor?: string | null;
  limit?: number;
  primary?: boolean;
}): Promise<TObjectionListPage> => {
  assertRole(actor, "viewer");
  const byAddress = searchesByAddress(filters);
  if (byAddress) assertMaySearchByAddress(actor);
  const pageSize = Math.min(Math.max(1, Math.trunc(limit)), MAX_PAGE_SIZE);
  const query = objectionFilterSql(filters);
  const order = objectionOrderSql(filters, cursor ? decodeCursor(cursor, filters.sort) : null, query);
  const text = listObjectionsSql({ query, order, limit: param(query, pageSize + 1) });
  const search = async (client: Pick<pg.PoolClient, "query">) => (await client.query<TListedObjectionRow>(text, query.values)).rows;
  const rows = byAddress ? await auditedAddressSearch({ actor, filters, pageSize, search }) : await readOnReplica(({ pool }) => search(pool), { primary });
  const page = rows.slice(0, pageSize);
  const last = rows.length > pageSize ? page.at(-1) : undefined;
  return {
    rows: page.map(({ email, ...row }) => ({ ...row, maskedEmail: consoleEmail(email) })),
    nextCursor: !last
      ? null
      : encodeCursor(
          filters.sort === "country"
            ? { sort: "country", country: last.country, effectiveAt: last.effectiveAt.toISOString(), id: last.id }
            : { sort: "effectiveAt", effectiveAt: last.effectiveAt.toISOString(), id: last.id },
        ),
  };
};
