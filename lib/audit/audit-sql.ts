import "server-only";

import type { ActorType, AuditTarget } from "@/lib/generated/prisma/enums";

/**
 * One audit event. Raw SQL rather than `auditEvent.create`, so that the one recorder writes on
 * either style's transaction (lib/pg-tx.ts). Values: actorType, actorId, action, targetType,
 * targetId, detail (JSON text or null).
 */
export const INSERT_AUDIT_EVENT_SQL = `
  INSERT INTO "AuditEvent" ("actorType", "actorId", "actorJob", action, "targetType", "targetId", detail)
  VALUES ($1::"ActorType", $2::uuid, $3, $4::"AuditAction", $5::"AuditTarget", $6, $7::jsonb)`;

export type TAuditEventRow = {
  id: string;
  createdAt: Date;
  action: string;
  /** Who acted: an admin, the platform (through the API), or the system by a rule. */
  actorType: ActorType;
  /** The admin's id; null for the platform and for what the system did by a rule (a campaign pausing a recipient domain). */
  actorId: string | null;
  actorEmail: string | null;
  targetType: AuditTarget | null;
  targetId: string | null;
  detail: unknown;
};

/**
 * A page of the audit trail with its actor's address: `where` holds conditions on "AuditEvent" e
 * (their values bound by the caller), `limit` the placeholder of the page size.
 */
export const listAuditEventsSql = ({ where, ascending, limit }: { where: string[]; ascending: boolean; limit: string }) => `
  SELECT e.id::text AS id, e."createdAt", e.action::text AS action, e."actorType", e."actorId", a.email AS "actorEmail", e."targetType", e."targetId", e.detail
    FROM "AuditEvent" e LEFT JOIN "AdminUser" a ON a.id = e."actorId"
   ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
   ORDER BY e."createdAt" ${ascending ? "ASC" : "DESC"}, e.id ${ascending ? "ASC" : "DESC"}
   LIMIT ${limit}`;
