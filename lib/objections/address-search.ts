import "server-only";

import type pg from "pg";

import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { AppError } from "@/lib/errors/app-error";
import { hasRole, type TAdminActor } from "@/lib/auth/roles";
import { auditableObjectionFilters, type TObjectionFilters } from "@/lib/objections/objection-filters";
import { inTransaction } from "@/lib/pg";

/** A search by full address tells whether that person objected: personal data, like the address a reveal shows. */
export const searchesByAddress = (filters: Pick<TObjectionFilters, "q">) => !!filters.q?.includes("@");

export const ADDRESS_SEARCH_NEEDS_REVIEWER =
  "Searching by email address needs the reviewer role: it tells whether that person objected. Search by external id or reference instead, or ask a reviewer.";

/** A reviewer may search by address, as they may reveal one; a viewer is told why not. */
export const assertMaySearchByAddress = (actor: TAdminActor) => {
  if (!hasRole(actor, "reviewer")) throw new AppError("forbidden", { message: ADDRESS_SEARCH_NEEDS_REVIEWER });
};

/**
 * Runs a search by address and writes its `objection_search` audit event in one transaction, so the
 * rows are returned only once the event is committed (as a reveal's are). The event holds the
 * filters (the search only as "email"), how many objections the page found and their ids: never the address.
 */
export const auditedAddressSearch = async <TRow extends { id: string }>({
  actor,
  filters,
  pageSize,
  search,
}: {
  actor: TAdminActor;
  filters: TObjectionFilters;
  pageSize: number;
  search: (client: pg.PoolClient) => Promise<TRow[]>;
}) =>
  inTransaction(async (client) => {
    const rows = await search(client);
    const shown = rows.slice(0, pageSize);
    await recordAuditEvent(client, {
      actor,
      action: "objection_search",
      // No ids when nothing was found: the log shows an empty list as "all".
      detail: { filters: auditableObjectionFilters(filters), found: shown.length, ...(shown.length && { objectionIds: shown.map((row) => row.id) }) },
    });
    return rows;
  });
