import "server-only";

import { listAuditEventsSql, type TAuditEventRow } from "@/lib/audit/audit-sql";
import type { TAuditFilters } from "@/lib/audit/schema";
import { assertRole, type TActor } from "@/lib/auth/actor";
import { decodeTimeIdCursor, encodeTimeIdCursor } from "@/lib/pagination/time-id-cursor";
import { readOnReplica } from "@/lib/read-replica/read-on-replica";

export type { TAuditEventRow };

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit trail, newest first (or oldest first), a page at a time on the (createdAt desc, id desc)
 * index, read forwards or backwards: a page deep in a long trail costs what the first one does. Dates are whole UTC days, both inclusive.
 * Every role may read it: it holds who did what, ids and counts, never a member's address. From the replica unless `primary`.
 */
export const listAuditEvents = async ({ actor, filters, limit = AUDIT_PAGE_SIZE, primary }: { actor: TActor; filters: TAuditFilters; limit?: number; primary?: boolean }) => {
  assertRole(actor, "viewer");
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (sql: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filters.admin) add((p) => `e."actorId" = ${p}::uuid`, filters.admin);
  if (filters.action) add((p) => `e.action = ${p}::"AuditAction"`, filters.action);
  if (filters.from) add((p) => `e."createdAt" >= (${p}::date)::timestamp AT TIME ZONE 'UTC'`, filters.from);
  if (filters.to) add((p) => `e."createdAt" < ((${p}::date + 1)::timestamp AT TIME ZONE 'UTC')`, filters.to);
  const ascending = filters.dir === "asc";
  const cursor = decodeTimeIdCursor(filters.after, { id: "bigint" });
  if (cursor) {
    values.push(cursor.at, cursor.id);
    where.push(`(e."createdAt", e.id) ${ascending ? ">" : "<"} ($${values.length - 1}::timestamptz, $${values.length}::bigint)`);
  }
  values.push(limit + 1);
  const { rows } = await readOnReplica(({ pool }) => pool.query<TAuditEventRow>(listAuditEventsSql({ where, ascending, limit: `$${values.length}` }), values), { primary });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { events: page, nextCursor: rows.length > limit && last ? encodeTimeIdCursor({ at: last.createdAt, id: last.id }) : null };
};

/** Who can be picked in the "admin" filter: everyone who ever had access. */
export const auditActors = async ({ actor, primary }: { actor: TActor; primary?: boolean }) => {
  assertRole(actor, "viewer");
  return readOnReplica(({ db }) => db.adminUser.findMany({ select: { id: true, email: true }, orderBy: { email: "asc" } }), { primary });
};
